using System.Globalization;
using System.Text.RegularExpressions;

namespace Dashboard.Tests.Support;

/// <summary>One sample of a Prometheus text exposition: metric name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A strict reader of Prometheus' text exposition format 0.0.4: every line is blank, a <c># HELP</c> / <c># TYPE</c>
/// line, another comment, or a sample <c>name{label="value",...} value [timestamp]</c>; a line that is none of these,
/// a TYPE that is not a known type, or a sample of a family declared after its samples, fails the parse.
/// </summary>
public static partial class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyList<PrometheusSample> Parse(string text, out IReadOnlyDictionary<string, string> types)
    {
        var samples = new List<PrometheusSample>();
        var declared = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var type = TypeLine().Match(line);
                if (type.Success)
                {
                    Assert.True(Types.Contains(type.Groups[2].Value), $"line {lineNumber}: unknown TYPE '{type.Groups[2].Value}'");
                    Assert.True(declared.TryAdd(type.Groups[1].Value, type.Groups[2].Value), $"line {lineNumber}: second TYPE for {type.Groups[1].Value}");
                }
                else
                {
                    Assert.True(line.StartsWith("# HELP ", StringComparison.Ordinal) || !line.StartsWith("# TYPE", StringComparison.Ordinal), $"line {lineNumber}: bad TYPE line: {line}");
                }

                continue;
            }

            var sample = SampleLine().Match(line);
            Assert.True(sample.Success, $"line {lineNumber} is not a Prometheus sample: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(sample.Groups["labels"].Value))
            {
                labels[label.Groups[1].Value] = label.Groups[2].Value.Replace("\\\"", "\"").Replace("\\n", "\n").Replace("\\\\", "\\");
            }

            var value = sample.Groups["value"].Value switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            samples.Add(new PrometheusSample(sample.Groups["name"].Value, labels, value));
        }

        types = declared;
        return samples;
    }

    /// <summary>The value of the one sample with this name whose labels include all of <paramref name="labels"/>; 0 when there is none.</summary>
    public static double Value(IReadOnlyList<PrometheusSample> samples, string name, params (string Key, string Value)[] labels) =>
        samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    [GeneratedRegex(@"^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (\S+)$")]
    private static partial Regex TypeLine();

    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*)\})? (?<value>[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?|[-+]?Inf|NaN)( -?\d+)?$""")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"([a-zA-Z_][a-zA-Z0-9_]*)=""((?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
