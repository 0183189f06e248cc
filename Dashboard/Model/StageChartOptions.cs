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
            ["xaxis"] = new JsonObject { ["categories"] = categories },
            ["dataLabels"] = new JsonObject { ["enabled"] = false },
            ["legend"] = new JsonObject { ["position"] = "top" },
        };
    }
}
