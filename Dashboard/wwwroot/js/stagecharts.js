// The execution view's stage charts (ApexCharts 4.7.0 as an ES module: the UMD build breaks next to Monaco's AMD loader).
// Charts are created once per element and then only get new series, so they move live without flicker.
import ApexCharts from "../lib/apexcharts/apexcharts.esm.js";

const charts = new Map();

function themed(options, dark) {
    options.theme = { mode: dark ? "dark" : "light" };
    options.chart = { ...options.chart, background: "transparent", animations: { enabled: false }, toolbar: { show: false } };
    return options;
}

export async function render(element, key, options, dark) {
    const existing = charts.get(key);
    if (existing && existing.element === element && existing.dark === dark) {
        await existing.chart.updateOptions({ series: options.series, xaxis: options.xaxis }, false, false);
        return;
    }
    existing?.chart.destroy();
    const chart = new ApexCharts(element, themed(options, dark));
    charts.set(key, { chart, element, dark });
    await chart.render();
}

export function dispose(key) {
    charts.get(key)?.chart.destroy();
    charts.delete(key);
}
