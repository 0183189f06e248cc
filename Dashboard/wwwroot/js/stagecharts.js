// The execution view's stage charts (ApexCharts 4.7.0 as an ES module: the UMD build breaks next to Monaco's AMD loader).
// Charts are created once per element and then only get new series, so they move live without flicker.
import ApexCharts from "../lib/apexcharts/apexcharts.esm.js";

const charts = new Map();

function compact(n) {
    return Number.isFinite(n) ? new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 }).format(n) : String(n);
}

function duration(ms) {
    return ms < 1000 ? Math.round(ms) + " ms" : ms < 60000 ? (ms / 1000).toFixed(1) + " s" : (ms / 60000).toFixed(1) + " min";
}

// Formatters cannot travel as JSON: xaxis.unit = "ms" asks for duration labels and a tooltip naming the processor.
function withFormatters(options, type) {
    if (options.xaxis?.unit === "ms") {
        options.xaxis.labels = { formatter: v => duration(Number(v)) };
    }
    if (options.xaxis?.unit === "rows") {
        options.xaxis.labels = { formatter: v => compact(Number(v)) };
    }
    if (options.yaxis?.unit === "rows") {
        options.yaxis.labels = { formatter: v => compact(Number(v)) };
    }
    if (type === "bar" && options.series?.[0]?.data?.[0]?.stats) {
        options.tooltip = {
            custom: ({ seriesIndex, dataPointIndex, w }) => {
                const point = w.config.series[seriesIndex].data[dataPointIndex];
                return `<div class="apexcharts-tooltip-title">${point.x}: ${Number(point.y).toLocaleString()} rows</div>` +
                    `<div style="padding: 4px 8px">${point.stats}</div>`;
            },
        };
    }
    if (type === "rangeBar") {
        options.tooltip = {
            custom: ({ seriesIndex, dataPointIndex, w }) => {
                const point = w.config.series[seriesIndex].data[dataPointIndex];
                return `<div class="apexcharts-tooltip-title">${point.x} ${point.processor ?? ""}</div>` +
                    `<div style="padding: 4px 8px">${duration(point.y[0])} – ${duration(point.y[1])}</div>`;
            },
        };
    }
    return options;
}

function themed(options, dark) {
    options.theme = { mode: dark ? "dark" : "light" };
    options.chart = { ...options.chart, background: "transparent", animations: { enabled: false }, toolbar: { show: false } };
    return options;
}

export async function render(element, key, options, dark) {
    const existing = charts.get(key);
    if (existing && existing.element === element && existing.dark === dark) {
        const update = { series: options.series, xaxis: options.xaxis, chart: { height: options.chart.height } };
        if (options.yaxis) {
            update.yaxis = options.yaxis;
        }
        await existing.chart.updateOptions(withFormatters(update, options.chart.type), false, false);
        return;
    }
    existing?.chart.destroy();
    const chart = new ApexCharts(element, themed(withFormatters(options, options.chart.type), dark));
    charts.set(key, { chart, element, dark });
    await chart.render();
}

export function dispose(key) {
    charts.get(key)?.chart.destroy();
    charts.delete(key);
}
