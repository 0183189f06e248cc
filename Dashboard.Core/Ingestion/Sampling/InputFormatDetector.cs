using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>
/// Detects an input's format from its first bytes (decompressed) and its name: Parquet by its <c>PAR1</c> magic,
/// newline-delimited JSON when the first lines are JSON objects, otherwise delimited text whose delimiter (tab, comma,
/// pipe, semicolon) splits the first lines into the same number of fields; a first line of distinct non-numeric names is a header.
/// The answer is an <c>inputFormat</c> object as a spec would hold it.
/// </summary>
public static class InputFormatDetector
{
    private const int LinesToCheck = 20;
    private static readonly char[] Delimiters = ['\t', ',', '|', ';'];

    public static JsonObject Detect(ReadOnlySpan<byte> rawHead, ReadOnlySpan<byte> sample, string name)
    {
        var path = name.Split('?', '#')[0];
        if (rawHead.StartsWith("PAR1"u8) || path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
        {
            return new JsonObject { ["type"] = "parquet" };
        }

        var lines = FirstLines(sample);
        if (lines.Count == 0)
        {
            throw Undetectable(name, "it holds no data");
        }

        if (lines[0].TrimStart().StartsWith('{') && lines.Count(IsJsonObject) * 2 > lines.Count)
        {
            return new JsonObject { ["type"] = "json" };
        }

        var bare = StripCompression(path);
        foreach (var delimiter in Delimiters)
        {
            var counts = lines.Select(l => DelimitedLine.Split(l, delimiter).Count).ToList();
            if (counts[0] > 1 && counts.All(c => c == counts[0]))
            {
                return Delimited(delimiter, lines);
            }
        }

        if (bare.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || bare.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            || bare.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase))
        {
            return new JsonObject { ["type"] = "json" };
        }

        if (bare.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return Delimited('\t', lines);
        }

        if (bare.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || lines.All(l => !l.Contains('\t')))
        {
            return Delimited(',', lines);
        }

        throw Undetectable(name, "its first lines are neither JSON objects nor consistently delimited text");
    }

    private static JsonObject Delimited(char delimiter, IReadOnlyList<string> lines)
    {
        var format = new JsonObject { ["type"] = delimiter == ',' ? "csv" : "tsv" };
        if (delimiter is not (',' or '\t'))
        {
            format["delimiter"] = delimiter.ToString();
        }

        var first = DelimitedLine.Split(lines[0], delimiter);
        if (LooksLikeHeader(first))
        {
            format["findColumnsFromHeader"] = true;
        }
        else
        {
            format["columns"] = new JsonArray(Enumerable.Range(1, first.Count).Select(i => (JsonNode)$"column{i}").ToArray());
        }

        return format;
    }

    /// <summary>A header: distinct, non-empty names, none of them a number or a time.</summary>
    private static bool LooksLikeHeader(IReadOnlyList<string> fields) =>
        fields.All(f => f.Trim().Length > 0 && !double.TryParse(f, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _)
                        && !TimeColumnDetector.IsIsoTime(f.Trim()))
        && fields.Distinct(StringComparer.Ordinal).Count() == fields.Count;

    private static bool IsJsonObject(string line)
    {
        try
        {
            return JsonNode.Parse(line) is JsonObject;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The first non-blank, complete lines of the sample (a last line without its end is left out unless it is the only one).</summary>
    private static List<string> FirstLines(ReadOnlySpan<byte> sample)
    {
        var text = Encoding.UTF8.GetString(sample.Length > 256 * 1024 ? sample[..(256 * 1024)] : sample);
        var lines = text.Split('\n');
        var complete = lines.Length > 1 ? lines[..^1] : lines;
        return complete.Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Take(LinesToCheck).ToList();
    }

    public static string StripCompression(string name) =>
        name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;

    private static Errors.DruidException Undetectable(string name, string why) =>
        Errors.DruidException.ErrorMap(400, $"Cannot detect the format of [{name}]: {why}. Choose the input format (json, csv or tsv) and sample again.");
}
