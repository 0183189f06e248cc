using System.Globalization;

namespace Dashboard.Model;

/// <summary>Durations and times as operators read them: "850 ms", "12.4 s", "3 min 07 s", "2 h 05 min"; times in UTC, like Druid.</summary>
public static class DurationFormat
{
    public static string Format(TimeSpan duration) => duration.TotalMilliseconds switch
    {
        < 1000 => $"{Math.Max(0, (int)duration.TotalMilliseconds)} ms",
        < 60_000 => duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s",
        < 3_600_000 => $"{(int)duration.TotalMinutes} min {duration.Seconds:00} s",
        < 86_400_000 => $"{(int)duration.TotalHours} h {duration.Minutes:00} min",
        _ => $"{(int)duration.TotalDays} d {duration.Hours:00} h",
    };

    public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>Time of day for today (UTC), month-day and time otherwise, year too when it is not this year.</summary>
    public static string ShortTime(DateTimeOffset time, DateTimeOffset now)
    {
        var t = time.UtcDateTime;
        var n = now.UtcDateTime;
        var format = t.Date == n.Date ? "HH:mm:ss" : t.Year == n.Year ? "MMM d, HH:mm:ss" : "yyyy-MM-dd HH:mm";
        return t.ToString(format, CultureInfo.InvariantCulture);
    }

    public static string IsoTime(DateTimeOffset time) => Core.Common.DruidTime.Format(time);
}
