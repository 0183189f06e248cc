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

    /// <summary>The longest period accepted: 10,000 years (about 3,652,500 days). Longer ones do not parse.</summary>
    public const double MaxDays = 3_652_500;

    public static bool TryParse(string? text, out IsoPeriod period) => TryParse(text, out period, out _);

    /// <summary>
    /// Parses a period; <paramref name="outOfRange"/> says a well-formed period was refused for being longer than
    /// <see cref="MaxDays"/> (or its numbers too large), so callers can tell "too long" from "not a period".
    /// </summary>
    public static bool TryParse(string? text, out IsoPeriod period, out bool outOfRange)
    {
        period = default;
        outOfRange = false;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var m = Pattern().Match(text.Trim());
        if (!m.Success || text.Trim().Equals("P", StringComparison.OrdinalIgnoreCase) || text.Trim().EndsWith('T'))
        {
            return false;
        }

        var fields = new int[6];
        for (var i = 0; i < fields.Length; i++)
        {
            if (m.Groups[i + 1].Success && !int.TryParse(m.Groups[i + 1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out fields[i]))
            {
                outOfRange = true;
                return false;
            }
        }

        var seconds = 0m;
        if (m.Groups[7].Success && !decimal.TryParse(m.Groups[7].Value.Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out seconds))
        {
            outOfRange = true;
            return false;
        }

        var days = fields[0] * 365.25 + fields[1] * 30.44 + fields[2] * 7.0 + fields[3] + fields[4] / 24.0 + fields[5] / 1440.0 + (double)seconds / 86400;
        if (days > MaxDays)
        {
            outOfRange = true;
            return false;
        }

        period = new IsoPeriod(fields[0], fields[1], fields[2], fields[3], fields[4], fields[5], seconds);
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
