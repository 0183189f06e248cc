using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Model;

/// <summary>The parts of a task's report the detail page shows as tables (Druid's <c>ingestionStatsAndErrors</c>).</summary>
public sealed record RowStatsTable(IReadOnlyList<string> Metrics, IReadOnlyList<(string Phase, IReadOnlyDictionary<string, string> Values)> Phases)
{
    /// <summary>
    /// <c>ingestionStatsAndErrors.payload.rowStats</c>: one row per phase (determinePartitions, buildSegments, ...), one
    /// column per counter (processed, processedBytes, processedWithError, thrownAway, unparseable). Null when absent.
    /// </summary>
    public static RowStatsTable? From(JsonObject? report)
    {
        if (report?["ingestionStatsAndErrors"]?["payload"]?["rowStats"] is not JsonObject rowStats)
        {
            return null;
        }

        var metrics = new List<string>();
        var phases = new List<(string, IReadOnlyDictionary<string, string>)>();
        foreach (var (phase, node) in rowStats)
        {
            if (node is not JsonObject counters)
            {
                continue;
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (metric, value) in counters)
            {
                if (!metrics.Contains(metric))
                {
                    metrics.Add(metric);
                }

                values[metric] = value is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n)
                    ? n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)
                    : value?.ToJsonString() ?? "—";
            }

            phases.Add((phase, values));
        }

        return phases.Count == 0 ? null : new RowStatsTable(metrics, phases);
    }

    /// <summary>The full error message in an ingestionStatsAndErrors report, when the task wrote one.</summary>
    public static string? ErrorMessage(JsonObject? report) =>
        report?["ingestionStatsAndErrors"]?["payload"]?["errorMsg"] is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : null;
}
