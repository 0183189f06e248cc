using System.Globalization;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Common;

/// <summary>
/// An ISO-8601 period such as <c>PT24H</c>, <c>P1D</c> or <c>P1Y2M</c>. Years and months are calendar
/// fields (added as calendar units, as Joda does); the rest is a fixed duration.
/// </summary>
public readonly partial record struct IsoPeriod(int Years, int Months, int Weeks, int Days, int Hours, int Minutes, decimal Seconds)
{
    [GeneratedRegex(@"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out IsoPeriod period)
    {
        period = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var m = Pattern().Match(text.Trim());
        if (!m.Success || text.Trim().Equals("P", StringComparison.OrdinalIgnoreCase) || text.Trim().EndsWith('T'))
        {
            return false;
        }

        static int Int(Group g) => g.Success ? int.Parse(g.Value, CultureInfo.InvariantCulture) : 0;
        period = new IsoPeriod(Int(m.Groups[1]), Int(m.Groups[2]), Int(m.Groups[3]), Int(m.Groups[4]), Int(m.Groups[5]), Int(m.Groups[6]),
            m.Groups[7].Success ? decimal.Parse(m.Groups[7].Value.Replace(',', '.'), CultureInfo.InvariantCulture) : 0m);
        return true;
    }

    public static IsoPeriod Parse(string text) =>
        TryParse(text, out var p) ? p : throw new FormatException($"Cannot parse [{text}] as an ISO-8601 period (expected e.g. PT24H or P1D).");

    public DateTimeOffset AddTo(DateTimeOffset instant, int sign = 1) =>
        instant.AddYears(sign * Years).AddMonths(sign * Months) + sign * FixedPart;

    /// <summary>The part of the period that is a fixed length of time (weeks and smaller).</summary>
    public TimeSpan FixedPart =>
        TimeSpan.FromDays(Weeks * 7 + Days) + TimeSpan.FromHours(Hours) + TimeSpan.FromMinutes(Minutes) +
        TimeSpan.FromTicks((long)(Seconds * TimeSpan.TicksPerSecond));

    /// <summary>A fixed approximation for configuration values such as thresholds (a month counts 30 days).</summary>
    public TimeSpan ToApproximateTimeSpan() => TimeSpan.FromDays(Years * 365 + Months * 30) + FixedPart;
}
