using System.Globalization;

namespace Dashboard.Model.Wall;

/// <summary>Numbers as a wall screen shows them: short, with a unit, readable from across the room.</summary>
public static class WallFormat
{
    public static string Count(double value) => value switch
    {
        >= 1_000_000_000 => (value / 1_000_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "G",
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (value / 1_000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => Math.Round(value).ToString("#,0", CultureInfo.InvariantCulture),
    };

    public static string Elapsed(TimeSpan span) => span.TotalHours >= 1
        ? $"{(int)span.TotalHours}h {span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds:00}s" : $"{Math.Max(0, span.Seconds)}s";

    public static string Clock(DateTimeOffset time) => time.UtcDateTime.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC";
}
