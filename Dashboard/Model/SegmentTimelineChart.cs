using System.Text.Json.Nodes;
using Dashboard.Core.Clients;

namespace Dashboard.Model;

/// <summary>
/// ApexCharts options and series of a datasource's segment timeline: time chunks along the time axis, one row per version
/// (newest on top), visible segments in colour and overshadowed ones grey; clicking a segment opens the task that wrote it.
/// </summary>
public static class SegmentTimelineChart
{
    public const string VisibleSeries = "Visible";
    public const string OvershadowedSeries = "Overshadowed";
    public const int MaxSegments = 2000;
    public const string OvershadowedColor = "#9ca3af";

    public static JsonObject Options(bool dark, int versions) => new()
    {
        ["chart"] = new JsonObject
        {
            ["type"] = "rangeBar",
            ["height"] = Math.Clamp(90 + versions * 44, 180, 640),
            ["background"] = "transparent",
            ["foreColor"] = dark ? "#e5e7eb" : "#1f2937",
            ["fontFamily"] = "system-ui, sans-serif",
            ["animations"] = new JsonObject { ["enabled"] = false },
            ["toolbar"] = new JsonObject { ["show"] = false },
            ["zoom"] = new JsonObject { ["enabled"] = false },
        },
        ["theme"] = new JsonObject { ["mode"] = dark ? "dark" : "light" },
        ["colors"] = new JsonArray(dark ? "#7aa7f0" : "#1d5fbf", OvershadowedColor),
        ["plotOptions"] = new JsonObject
        {
            ["bar"] = new JsonObject { ["horizontal"] = true, ["barHeight"] = "60%", ["rangeBarGroupRows"] = true },
        },
        ["stroke"] = new JsonObject { ["width"] = 1, ["colors"] = new JsonArray(dark ? "#212631" : "#ffffff") },
        ["dataLabels"] = new JsonObject { ["enabled"] = false },
        ["legend"] = new JsonObject { ["show"] = true, ["position"] = "top", ["horizontalAlign"] = "left" },
        ["grid"] = new JsonObject { ["borderColor"] = dark ? "#2f3744" : "#e5e7eb" },
        ["xaxis"] = new JsonObject { ["type"] = "datetime", ["labels"] = new JsonObject { ["datetimeUTC"] = true } },
        ["yaxis"] = new JsonObject
        {
            ["title"] = new JsonObject { ["text"] = "Version" },
            ["labels"] = new JsonObject { ["maxWidth"] = 260 },
        },
        ["tooltip"] = new JsonObject { ["x"] = new JsonObject { ["format"] = "yyyy-MM-dd HH:mm" } },
        ["noData"] = new JsonObject { ["text"] = "No segments" },
    };

    /// <summary>The newest <see cref="MaxSegments"/> segments, visible and overshadowed as two series.</summary>
    public static JsonArray Series(IReadOnlyList<SegmentEntry> entries)
    {
        var shown = entries.OrderByDescending(e => e.Segment.Interval.Start).Take(MaxSegments)
            .OrderByDescending(e => e.Segment.Version, StringComparer.Ordinal).ToList();
        return new JsonArray(
            new JsonObject { ["name"] = VisibleSeries, ["data"] = Points(shown.Where(e => !e.Overshadowed)) },
            new JsonObject { ["name"] = OvershadowedSeries, ["data"] = Points(shown.Where(e => e.Overshadowed)) });
    }

    public static int VersionCount(IReadOnlyList<SegmentEntry> entries) => entries.Select(e => e.Segment.Version).Distinct().Count();

    private static JsonArray Points(IEnumerable<SegmentEntry> entries) => new(entries.Select(e => (JsonNode)new JsonObject
    {
        ["x"] = e.Segment.Version,
        ["y"] = new JsonArray(e.Segment.Interval.Start.ToUnixTimeMilliseconds(), e.Segment.Interval.End.ToUnixTimeMilliseconds()),
        ["link"] = e.TaskId is { } task ? "/" + TaskLinks.Detail(task) : null,
    }).ToArray());
}
