// Remembers the dashboard's light/dark choice per browser. localStorage holds the choice; a cookie mirrors it
// so the server can prerender the chosen palette (no flash of the other theme on the next page load).
const key = "overlord-theme";
const oneYear = 60 * 60 * 24 * 365;

function mirror(theme) {
    document.cookie = `${key}=${theme}; path=/; max-age=${oneYear}; samesite=lax`;
    document.documentElement.dataset.theme = theme;
}

export function load() {
    let theme = null;
    try {
        theme = localStorage.getItem(key);
    } catch {
        return null;
    }
    if (theme === "dark" || theme === "light") {
        mirror(theme);
        return theme;
    }
    return null;
}

export function save(theme) {
    try {
        localStorage.setItem(key, theme);
    } catch {
        // Storage can be disabled; the cookie still carries the choice for this browser.
    }
    mirror(theme);
}
