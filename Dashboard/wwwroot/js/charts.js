// A thin wrapper over ApexCharts (the ES module build: the UMD build breaks next to Monaco's AMD loader). A chart is
// created once per element; later changes replace its series or options in place, without re-creating it.
// Two additions to ApexCharts' options, for what JSON cannot say:
//   fontSizeVh: text size as a percentage of the window's height (a wall screen reads the same at 1080p and 2160p);
//   yaxis "compact": true: axis numbers written short (12k, 1.5M);
//   data points with a "link": clicking the point opens that address.
import ApexCharts from "../lib/apexcharts/apexcharts.esm.js";

function scaleFonts(options) {
    const vh = options.fontSizeVh;
    delete options.fontSizeVh;
    if (!vh) {
        return options;
    }
    const px = Math.max(11, Math.round(window.innerHeight * vh / 100)) + "px";
    const style = { fontSize: px };
    options.chart = { ...options.chart, fontSize: px };
    options.legend = { ...options.legend, fontSize: px, markers: { size: Math.round(parseInt(px) / 2.5) } };
    options.xaxis = { ...options.xaxis, labels: { ...options.xaxis?.labels, style } };
    const size = parseInt(px);
    const axes = Array.isArray(options.yaxis) ? options.yaxis : [options.yaxis ?? {}];
    options.yaxis = axes.map(a => ({ ...a, labels: { ...a.labels, style, minWidth: size * 2, maxWidth: size * 6 }, title: { ...a.title, style } }));
    options.grid = { ...options.grid, padding: { ...options.grid?.padding, left: size / 2, right: size / 2 } };
    options.noData = { ...options.noData, style };
    return options;
}

const compactFormat = new Intl.NumberFormat("en", { notation: "compact", maximumFractionDigits: 1 });

function compactAxes(options) {
    if (Array.isArray(options.yaxis)) {
        options.yaxis = options.yaxis.map(a => a.compact
            ? { ...a, labels: { ...a.labels, formatter: v => compactFormat.format(v) } }
            : a);
    }
    return options;
}

function followLinks(options) {
    options.chart = options.chart ?? {};
    options.chart.events = {
        ...options.chart.events,
        dataPointSelection: (event, context, config) => {
            const point = config.w.config.series[config.seriesIndex]?.data?.[config.dataPointIndex];
            if (point?.link) {
                window.location.assign(point.link);
            }
        },
    };
    return options;
}

function prepare(options) {
    return followLinks(compactAxes(scaleFonts(options)));
}

export async function create(element, options) {
    const chart = new ApexCharts(element, prepare(options));
    await chart.render();
    return {
        updateSeries: (series) => chart.updateSeries(series, false),
        updateOptions: (changed) => chart.updateOptions(prepare(changed), false, false),
        destroy: () => chart.destroy(),
    };
}
