using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>
/// Finds the columns that can be a row time: every sampled value is an ISO-8601 time (<c>iso</c>), or a whole number of
/// milliseconds between 1990 and 2100 (<c>millis</c>). The usual names (<c>__time</c>, <c>time</c>, <c>timestamp</c>,
/// <c>ts</c>) come first, then the others in column order.
/// </summary>
public static partial class TimeColumnDetector
{
    private static readonly string[] PreferredNames = ["__time", "time", "timestamp", "ts"];
    private const long MinMillis = 631_152_000_000;   // 1990-01-01
    private const long MaxMillis = 4_102_444_800_000; // 2100-01-01

    public static IReadOnlyList<TimeColumnCandidate> Detect(IReadOnlyList<string> columns, IReadOnlyList<JsonObject> rows)
    {
        var found = new List<TimeColumnCandidate>();
        foreach (var column in columns)
        {
            var values = rows.Select(r => r[column]).Where(v => v is not null && !(v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length == 0)).ToList();
            if (values.Count == 0)
            {
                continue;
            }

            if (values.All(v => v!.GetValueKind() == JsonValueKind.String && IsIsoTime(v.GetValue<string>())))
            {
                found.Add(new TimeColumnCandidate(column, "iso"));
            }
            else if (values.All(v => IsMillis(v!)))
            {
                found.Add(new TimeColumnCandidate(column, "millis"));
            }
        }

        return found.OrderBy(c => Array.FindIndex(PreferredNames, n => n.Equals(c.Name, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i : PreferredNames.Length)
            .ToList();
    }

    public static bool IsIsoTime(string text) =>
        IsoTime().IsMatch(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    private static bool IsMillis(JsonNode value)
    {
        var text = value.GetValueKind() switch
        {
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.String => value.GetValue<string>(),
            _ => null,
        };
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var millis) && millis is >= MinMillis and <= MaxMillis;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?)?\s?(Z|[+-]\d{2}(:?\d{2})?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex IsoTime();
}
