// The circuit's connection state, from Blazor's reconnect events. The element is shown as a non-blocking banner (the
// page stays readable while it reconnects), and <html data-connection> drives the app bar's connection indicator.
const reconnectModal = document.getElementById("components-reconnect-modal");
reconnectModal.addEventListener("components-reconnect-state-changed", handleReconnectStateChanged);

const retryButton = document.getElementById("components-reconnect-button");
retryButton.addEventListener("click", retry);

const resumeButton = document.getElementById("components-resume-button");
resumeButton.addEventListener("click", resume);

const connectionStates = {
    show: "reconnecting",
    retrying: "reconnecting",
    hide: "live",
    failed: "offline",
    rejected: "offline",
    paused: "paused",
    "resume-failed": "offline",
};

function handleReconnectStateChanged(event) {
    document.documentElement.dataset.connection = connectionStates[event.detail.state] ?? "reconnecting";
    if (event.detail.state === "show") {
        if (!reconnectModal.open) {
            reconnectModal.show();
        }
    } else if (event.detail.state === "hide") {
        reconnectModal.close();
    } else if (event.detail.state === "failed") {
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
        retryUnattended();
    } else if (event.detail.state === "rejected") {
        location.reload();
    }
}

async function retry() {
    document.removeEventListener("visibilitychange", retryWhenDocumentBecomesVisible);

    try {
        // Reconnect will asynchronously return:
        // - true to mean success
        // - false to mean we reached the server, but it rejected the connection (e.g., unknown circuit ID)
        // - exception to mean we didn't reach the server (this can be sync or async)
        const successful = await Blazor.reconnect();
        if (!successful) {
            // We have been able to reach the server, but the circuit is no longer available.
            // We'll reload the page so the user can continue using the app as quickly as possible.
            const resumeSuccessful = await Blazor.resumeCircuit();
            if (!resumeSuccessful) {
                location.reload();
            } else {
                document.documentElement.dataset.connection = "live";
                reconnectModal.close();
            }
        }
    } catch (err) {
        // We got an exception, server is currently unavailable
        document.addEventListener("visibilitychange", retryWhenDocumentBecomesVisible);
        retryUnattended();
    }
}

// A kiosk page (the wall screen) has nobody to press Retry: it keeps trying every few seconds, for as long as it takes.
// Once the server answers, a lost circuit (server restarted) reloads the page, which catches up with the current state.
let unattendedRetry = null;

function retryUnattended() {
    if (document.querySelector("[data-kiosk]") && unattendedRetry === null) {
        unattendedRetry = setTimeout(() => {
            unattendedRetry = null;
            retry();
        }, 3000);
    }
}

async function resume() {
    try {
        const successful = await Blazor.resumeCircuit();
        if (!successful) {
            location.reload();
        }
    } catch {
        reconnectModal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenDocumentBecomesVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
