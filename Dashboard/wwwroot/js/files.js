// Small browser helpers for the dashboard: remembered preferences, downloads and the clipboard.
export function loadPreference(key) {
    try {
        return localStorage.getItem(key);
    } catch {
        return null;
    }
}

export function savePreference(key, value) {
    try {
        localStorage.setItem(key, value);
    } catch {
        // Storage can be disabled; the choice then lasts for this page only.
    }
}

export function download(fileName, contentType, text) {
    const blob = new Blob([text], { type: contentType });
    const url = URL.createObjectURL(blob);
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 0);
}

export async function copyText(text) {
    try {
        await navigator.clipboard.writeText(text);
        return true;
    } catch {
        return false;
    }
}

export function scrollToEnd(element) {
    if (element) {
        element.scrollTop = element.scrollHeight;
    }
}
