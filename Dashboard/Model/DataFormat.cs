using System.Globalization;

namespace Dashboard.Model;

/// <summary>Sizes and time ranges as the datasource pages show them.</summary>
public static class DataFormat
{
    public static string Bytes(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        double value = bytes;
        var unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? $"{bytes:N0} B" : value.ToString(value >= 100 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    /// <summary>A row count, or "unavailable" where it is not known (a Druid cluster's coordinator does not report rows).</summary>
    public static string Rows(long rows) => rows < 0 ? "unavailable" : rows.ToString("N0", System.Globalization.CultureInfo.CurrentCulture);

    public static string Range(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t ? $"{DurationFormat.Time(f)} – {DurationFormat.Time(t)}" : "–";

    /// <summary>A segment interval, short: <c>2026-01-05 05:00 → 06:00</c> (the end's date only when it differs).</summary>
    public static string Interval(Core.Common.Interval interval)
    {
        var start = interval.Start.UtcDateTime;
        var end = interval.End.UtcDateTime;
        var clock = start.Second != 0 || end.Second != 0 || start.Millisecond != 0 || end.Millisecond != 0 ? "HH:mm:ss.fff" : "HH:mm";
        var endText = end.Date == start.Date || end == start.Date.AddDays(1) && end.TimeOfDay == TimeSpan.Zero && start.TimeOfDay != TimeSpan.Zero
            ? end.ToString(clock, CultureInfo.InvariantCulture)
            : end.ToString("yyyy-MM-dd " + clock, CultureInfo.InvariantCulture);
        return start.ToString("yyyy-MM-dd " + clock, CultureInfo.InvariantCulture) + " → " + endText;
    }

    /// <summary>The workbench with <c>SELECT * FROM "ds"</c> filled in.</summary>
    public static string WorkbenchLink(string dataSource) =>
        "query?sql=" + Uri.EscapeDataString($"SELECT * FROM \"{dataSource.Replace("\"", "\"\"")}\"");

    public static string DataSourceLink(string dataSource) => "datasources/" + Uri.EscapeDataString(dataSource);
}
