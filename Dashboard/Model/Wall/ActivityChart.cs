using System.Text.Json.Nodes;

namespace Dashboard.Model.Wall;

/// <summary>ApexCharts options and series of the wall's activity chart: running tasks (left axis) and rows/s (right axis).</summary>
public static class ActivityChart
{
    public const string RunningSeries = "Running tasks";
    public const string RateSeries = "Rows/s ingested";

    /// <summary>Options for a chart whose x axis spans the hour up to <paramref name="now"/>.</summary>
    public static JsonObject Options(bool dark, DateTimeOffset now) => new()
    {
        ["fontSizeVh"] = 2.1,
        ["chart"] = new JsonObject
        {
            ["type"] = "line",
            ["height"] = "100%",
            ["background"] = "transparent",
            ["foreColor"] = dark ? "#e5e7eb" : "#1f2937",
            ["fontFamily"] = "system-ui, sans-serif",
            ["animations"] = new JsonObject { ["enabled"] = false },
            ["toolbar"] = new JsonObject { ["show"] = false },
            ["zoom"] = new JsonObject { ["enabled"] = false },
        },
        ["theme"] = new JsonObject { ["mode"] = dark ? "dark" : "light" },
        ["colors"] = new JsonArray(dark ? "#60a5fa" : "#1d5fbf", dark ? "#34d399" : "#047857"),
        ["stroke"] = new JsonObject { ["curve"] = new JsonArray("stepline", "straight"), ["width"] = new JsonArray(5, 5) },
        ["dataLabels"] = new JsonObject { ["enabled"] = false },
        ["markers"] = new JsonObject { ["size"] = 0 },
        ["tooltip"] = new JsonObject { ["enabled"] = false },
        ["legend"] = new JsonObject { ["show"] = true, ["position"] = "top", ["horizontalAlign"] = "left" },
        ["grid"] = new JsonObject { ["borderColor"] = dark ? "#374151" : "#d1d5db" },
        ["noData"] = new JsonObject { ["text"] = "Collecting the first samples…" },
        ["xaxis"] = new JsonObject
        {
            ["type"] = "datetime",
            ["min"] = (now - IngestionActivity.History).ToUnixTimeMilliseconds(),
            ["max"] = now.ToUnixTimeMilliseconds(),
            ["labels"] = new JsonObject { ["datetimeUTC"] = true, ["format"] = "HH:mm" },
            ["tooltip"] = new JsonObject { ["enabled"] = false },
        },
        ["yaxis"] = new JsonArray(
            new JsonObject
            {
                ["seriesName"] = RunningSeries, ["min"] = 0, ["forceNiceScale"] = true, ["decimalsInFloat"] = 0,
            },
            new JsonObject
            {
                ["seriesName"] = RateSeries, ["opposite"] = true, ["min"] = 0, ["forceNiceScale"] = true, ["decimalsInFloat"] = 0, ["compact"] = true,
            }),
    };

    public static JsonArray Series(IReadOnlyList<ActivityPoint> points) => new(
        new JsonObject
        {
            ["name"] = RunningSeries,
            ["data"] = new JsonArray(points.Select(p => (JsonNode)new JsonArray(p.Time.ToUnixTimeMilliseconds(), p.Running)).ToArray()),
        },
        new JsonObject
        {
            ["name"] = RateSeries,
            ["data"] = new JsonArray(points.Select(p => (JsonNode)new JsonArray(p.Time.ToUnixTimeMilliseconds(), Math.Round(p.RowsPerSecond))).ToArray()),
        });
}
