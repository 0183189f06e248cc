using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Model;

/// <summary>
/// ApexCharts options for the execution view, built from a <see cref="MsqReportView"/>: a stage timeline (rangeBar, one
/// lane per worker under each stage) and rows in and out per stage (bars). Kept as JSON so the charts' data is testable.
/// </summary>
public static class StageChartOptions
{
    /// <summary>The lane label of one worker of one stage.</summary>
    public static string Lane(MsqStageRow stage, int worker) => $"S{stage.Number} · w{worker}";

    /// <summary>
    /// Stages that started, as [start, end] ranges in milliseconds since the query started, one lane per worker;
    /// <paramref name="now"/> ends running stages. <c>xaxis.unit = "ms"</c> asks stagecharts.js for ms/s labels.
    /// </summary>
    public static JsonObject Timeline(MsqReportView report, DateTimeOffset now)
    {
        var data = new JsonArray();
        var origin = report.StartTime ?? report.Stages.Where(s => s.Start is not null).Select(s => s.Start!.Value).DefaultIfEmpty(now).Min();
        foreach (var stage in report.Stages.Where(s => s.Start is not null))
        {
            var start = (long)(stage.Start!.Value - origin).TotalMilliseconds;
            var end = stage.IsRunning ? Math.Max(start + stage.DurationMs, (long)(now - origin).TotalMilliseconds) : start + Math.Max(1, stage.DurationMs);
            var colour = stage.Phase == "FAILED" ? "#d32f2f" : stage.IsRunning ? "#1e88e5" : "#43a047";
            for (var w = 0; w < Math.Max(1, stage.Workers); w++)
            {
                data.Add(new JsonObject { ["x"] = Lane(stage, w), ["y"] = new JsonArray(start, end), ["fillColor"] = colour, ["processor"] = stage.Processor });
            }
        }

        return new JsonObject
        {
            ["chart"] = new JsonObject { ["type"] = "rangeBar", ["height"] = Math.Max(140, 40 + 28 * data.Count), ["fontFamily"] = "inherit" },
            ["plotOptions"] = new JsonObject { ["bar"] = new JsonObject { ["horizontal"] = true, ["barHeight"] = "60%" } },
            ["series"] = new JsonArray(new JsonObject { ["name"] = "stages", ["data"] = data }),
            ["xaxis"] = new JsonObject { ["type"] = "numeric", ["min"] = 0, ["unit"] = "ms" },
            ["dataLabels"] = new JsonObject { ["enabled"] = false },
            ["grid"] = new JsonObject { ["padding"] = new JsonObject { ["left"] = 8, ["right"] = 16 } },
        };
    }

    /// <summary>Input and output rows per stage as grouped bars.</summary>
    public static JsonObject Counters(MsqReportView report)
    {
        var categories = new JsonArray(report.Stages.Select(s => (JsonNode)$"S{s.Number} {s.Processor}").ToArray());
        return new JsonObject
        {
            ["chart"] = new JsonObject { ["type"] = "bar", ["height"] = Math.Max(140, 60 + 36 * report.Stages.Count), ["fontFamily"] = "inherit" },
            ["plotOptions"] = new JsonObject { ["bar"] = new JsonObject { ["horizontal"] = true } },
            ["series"] = new JsonArray(
                new JsonObject { ["name"] = "input rows", ["data"] = new JsonArray(report.Stages.Select(s => (JsonNode)s.InputRows).ToArray()) },
                new JsonObject { ["name"] = "output rows", ["data"] = new JsonArray(report.Stages.Select(s => (JsonNode)s.OutputRows).ToArray()) }),
            ["xaxis"] = new JsonObject { ["categories"] = categories, ["unit"] = "rows" },
            ["dataLabels"] = new JsonObject { ["enabled"] = false },
            ["legend"] = new JsonObject { ["position"] = "top" },
        };
    }

    /// <summary>
    /// Input rows of each worker, stages side by side, with each stage's min, median and max in the tooltip title; the
    /// straggler of a stage with several workers (fewest rows while it runs, else most rows) is drawn in orange.
    /// </summary>
    public static JsonObject Skew(MsqReportView report)
    {
        var data = new JsonArray();
        foreach (var stage in report.Stages.Where(s => s.WorkerRows.Count > 0))
        {
            var rows = stage.WorkerRows.Select(w => w.InputRows).Order().ToList();
            var median = rows.Count % 2 == 1 ? rows[rows.Count / 2] : (rows[rows.Count / 2 - 1] + rows[rows.Count / 2]) / 2;
            var straggler = Straggler(stage);
            foreach (var worker in stage.WorkerRows)
            {
                data.Add(new JsonObject
                {
                    ["x"] = Lane(stage, worker.Worker),
                    ["y"] = worker.InputRows,
                    ["fillColor"] = worker.Worker == straggler ? "#fb8c00" : "#5c6bc0",
                    ["stats"] = string.Create(CultureInfo.InvariantCulture, $"min {rows[0]:N0} · median {median:N0} · max {rows[^1]:N0}"),
                });
            }
        }

        return new JsonObject
        {
            ["chart"] = new JsonObject { ["type"] = "bar", ["height"] = 200, ["fontFamily"] = "inherit" },
            ["series"] = new JsonArray(new JsonObject { ["name"] = "input rows", ["data"] = data }),
            ["xaxis"] = new JsonObject { ["type"] = "category" },
            ["yaxis"] = new JsonObject { ["unit"] = "rows" },
            ["dataLabels"] = new JsonObject { ["enabled"] = false },
        };
    }

    /// <summary>The worker holding a stage back: fewest rows while it runs, most rows once done; null when all are even.</summary>
    public static int? Straggler(MsqStageRow stage) =>
        stage.WorkerRows.Count < 2 || stage.WorkerRows.All(w => w.InputRows == stage.WorkerRows[0].InputRows)
        ? null
        : stage.IsRunning ? stage.WorkerRows.MinBy(w => w.InputRows)!.Worker : stage.WorkerRows.MaxBy(w => w.InputRows)!.Worker;

    /// <summary>Rows per second of each stage over the query's elapsed time (ms), one line per stage.</summary>
    public static JsonObject Rates(MsqReportView report, StageRateHistory history) => new()
    {
        ["chart"] = new JsonObject { ["type"] = "line", ["height"] = 200, ["fontFamily"] = "inherit" },
        ["series"] = new JsonArray(report.Stages
            .Where(s => history.Points.ContainsKey(s.Number))
            .Select(s => (JsonNode)new JsonObject
            {
                ["name"] = $"S{s.Number} {s.Processor}",
                ["data"] = new JsonArray(history.Points[s.Number].Select(p => (JsonNode)new JsonArray(p.ElapsedMs, Math.Round(p.RowsPerSecond))).ToArray()),
            }).ToArray()),
        ["xaxis"] = new JsonObject { ["type"] = "numeric", ["unit"] = "ms" },
        ["stroke"] = new JsonObject { ["width"] = 2, ["curve"] = "straight" },
        ["dataLabels"] = new JsonObject { ["enabled"] = false },
        ["legend"] = new JsonObject { ["position"] = "top" },
        ["noData"] = new JsonObject { ["text"] = "Rates appear while stages read" },
    };
}
