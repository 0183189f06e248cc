// Loads the Monaco editor (bundled by the BlazorMonaco package) on first use only, so pages without an editor do not
// pay for it. jsInterop.js sets the AMD loader's paths; loader.js and editor.main.js must run in this order.
const base = "_content/BlazorMonaco/";
const scripts = [base + "jsInterop.js", base + "lib/monaco-editor/min/vs/loader.js", base + "lib/monaco-editor/min/vs/editor/editor.main.js"];
let loading = null;

function load(src) {
    return new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.async = false;
        script.onload = () => resolve();
        script.onerror = () => reject(new Error("Could not load " + src));
        document.head.appendChild(script);
    });
}

export function ensureLoaded() {
    if (window.monaco && window.blazorMonaco) {
        return Promise.resolve();
    }
    loading ??= (async () => {
        for (const src of scripts) {
            await load(src);
        }
        await new Promise(resolve => window.require(["vs/editor/editor.main"], () => resolve()));
    })();
    return loading;
}

export function setTheme(dark) {
    if (window.monaco) {
        window.monaco.editor.setTheme(dark ? "vs-dark" : "vs");
    }
}

export function foldAll(editorId, fold) {
    const entry = window.blazorMonaco?.editors?.find(e => e.id === editorId);
    entry?.editor.getAction(fold ? "editor.foldAll" : "editor.unfoldAll")?.run();
}
