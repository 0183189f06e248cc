using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Cluster;

/// <summary>
/// The sample responses of Druid's Tasks API docs page (../shared/reference/tasks-api.md), by section title. Some samples
/// are written as Python literals (single quotes, <c>None</c>); they are normalised to JSON here, outside strings only.
/// </summary>
public static partial class DocsSamples
{
    private static readonly Lazy<IReadOnlyDictionary<string, string>> Samples = new(Load);

    public static string PathToDocs() => System.IO.Path.Combine(IngestionHelpers.SharedDir(), "reference", "tasks-api.md");

    /// <summary>Titles of the sections that have a JSON sample response.</summary>
    public static IReadOnlyCollection<string> Titles => Samples.Value.Keys.ToList();

    /// <summary>The sample as written in the docs page.</summary>
    public static string Raw(string title) => Samples.Value[title];

    /// <summary>The sample as JSON.</summary>
    public static string Json(string title) => Normalise(Raw(title));

    public static JsonNode Node(string title) => JsonNode.Parse(Json(title))!;

    /// <summary>Single-quoted strings become double-quoted; bare None/True/False become null/true/false.</summary>
    public static string Normalise(string sample)
    {
        var output = new StringBuilder(sample.Length);
        var i = 0;
        while (i < sample.Length)
        {
            var c = sample[i];
            if (c is '"' or '\'')
            {
                var end = i + 1;
                while (end < sample.Length && sample[end] != c)
                {
                    end += sample[end] == '\\' ? 2 : 1;
                }

                var content = sample[(i + 1)..end];
                output.Append('"').Append(c == '\'' ? content.Replace("\"", "\\\"") : content).Append('"');
                i = end + 1;
                continue;
            }

            var word = BareWord().Match(sample, i);
            if (word.Success && word.Index == i)
            {
                output.Append(word.Value switch { "None" => "null", "True" => "true", "False" => "false", var w => w });
                i += word.Length;
                continue;
            }

            output.Append(c);
            i++;
        }

        return output.ToString();
    }

    private static IReadOnlyDictionary<string, string> Load()
    {
        var lines = File.ReadAllLines(PathToDocs());
        var samples = new Dictionary<string, string>(StringComparer.Ordinal);
        string? title = null;
        var inResponse = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("### ", StringComparison.Ordinal))
            {
                title = line[4..].Trim();
                inResponse = false;
            }
            else if (line.StartsWith("#### Sample response", StringComparison.Ordinal))
            {
                inResponse = true;
            }
            else if (inResponse && title is not null && line == "```json")
            {
                var body = new StringBuilder();
                while (++i < lines.Length && lines[i].Trim() != "```")
                {
                    body.AppendLine(lines[i]);
                }

                samples[title] = body.ToString();
                inResponse = false;
            }
        }

        return samples;
    }

    [GeneratedRegex("[A-Za-z_][A-Za-z0-9_]*")]
    private static partial Regex BareWord();
}
