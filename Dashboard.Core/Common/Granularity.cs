using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Common;

/// <summary>
/// A Druid granularity: how time is bucketed into segments (segmentGranularity) or truncated in rows
/// (queryGranularity). Names as Druid spells them (<c>day</c>, <c>fifteen_minute</c>, <c>all</c>, <c>none</c>) or a
/// <c>{"type":"period","period":"PT1H"}</c> object. Buckets are aligned to the epoch in UTC, as Druid's defaults are.
/// </summary>
public sealed record Granularity(string Name, IsoPeriod? Period)
{
    public static readonly Granularity None = new("none", null);
    public static readonly Granularity All = new("all", null);
    public static readonly Granularity Day = new("day", IsoPeriod.Parse("P1D"));

    private static readonly Dictionary<string, string> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["second"] = "PT1S", ["minute"] = "PT1M", ["five_minute"] = "PT5M", ["ten_minute"] = "PT10M",
        ["fifteen_minute"] = "PT15M", ["thirty_minute"] = "PT30M", ["hour"] = "PT1H", ["six_hour"] = "PT6H",
        ["eight_hour"] = "PT8H", ["day"] = "P1D", ["week"] = "P1W", ["month"] = "P1M", ["quarter"] = "P3M", ["year"] = "P1Y",
    };

    public bool IsAll => Name == "all";
    public bool IsNone => Name == "none";

    public static bool TryParse(JsonNode? node, out Granularity granularity, out string? error)
    {
        granularity = None;
        error = null;
        switch (node)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var text = v.GetValue<string>().Trim();
                if (text.Equals("all", StringComparison.OrdinalIgnoreCase) || text.Equals("all time", StringComparison.OrdinalIgnoreCase))
                {
                    granularity = All;
                    return true;
                }

                if (text.Equals("none", StringComparison.OrdinalIgnoreCase))
                {
                    granularity = None;
                    return true;
                }

                if (Named.TryGetValue(text, out var iso))
                {
                    granularity = new Granularity(text.ToLowerInvariant(), IsoPeriod.Parse(iso));
                    return true;
                }

                if (IsoPeriod.TryParse(text, out var period))
                {
                    granularity = new Granularity(text.ToUpperInvariant(), period);
                    return true;
                }

                error = $"Unknown granularity [{text}]; use one of second, minute, five_minute, ten_minute, fifteen_minute, thirty_minute, hour, six_hour, eight_hour, day, week, month, quarter, year, all, none, or an ISO period such as PT1H.";
                return false;
            case JsonObject o when StringOf(o["type"]) is "period" && IsoPeriod.TryParse(StringOf(o["period"]), out var p):
                granularity = new Granularity(StringOf(o["period"])!.ToUpperInvariant(), p);
                return true;
            case JsonObject o when StringOf(o["type"]) is "duration" && o["duration"] is JsonValue d && d.TryGetValue<long>(out var ms) && ms > 0:
                granularity = new Granularity($"PT{ms / 1000m}S", new IsoPeriod(0, 0, 0, 0, 0, 0, ms / 1000m));
                return true;
            case JsonObject o when o["type"] is JsonValue:
                return TryParse(o["type"], out granularity, out error);
            default:
                error = $"Cannot read a granularity from [{node?.ToJsonString() ?? "null"}].";
                return false;
        }
    }

    /// <summary>The bucket start for an instant: the instant itself for none, the epoch start for all.</summary>
    public DateTimeOffset Floor(DateTimeOffset instant)
    {
        if (IsNone)
        {
            return instant;
        }

        if (IsAll || Period is not { } p)
        {
            return DateTimeOffset.MinValue;
        }

        var t = instant.UtcDateTime;
        if (p.Years > 0 || p.Months > 0)
        {
            var months = p.Years * 12 + p.Months;
            var index = (t.Year - 1970) * 12 + t.Month - 1;
            var floored = (long)Math.Floor(index / (double)months) * months;
            var year = 1970 + (int)Math.Floor(floored / 12.0);
            var month = (int)(floored - (year - 1970) * 12L) + 1;
            return new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        }

        var size = p.FixedPart.Ticks;
        var origin = p.Weeks > 0 && p.Days == 0 && p.Hours == 0 && p.Minutes == 0 && p.Seconds == 0
            ? new DateTime(1970, 1, 5, 0, 0, 0, DateTimeKind.Utc).Ticks // weeks start on Monday, as Joda's do
            : DateTime.UnixEpoch.Ticks;
        var offset = t.Ticks - origin;
        var bucket = offset >= 0 ? offset / size : (offset - size + 1) / size;
        return new DateTimeOffset(origin + bucket * size, TimeSpan.Zero);
    }

    /// <summary>The time chunk that holds <paramref name="instant"/>.</summary>
    public Interval BucketOf(DateTimeOffset instant)
    {
        if (IsAll)
        {
            return Interval.Eternity;
        }

        var start = Floor(instant);
        return new Interval(start, IsNone ? start.AddTicks(TimeSpan.TicksPerMillisecond) : Period!.Value.AddTo(start));
    }

    /// <summary>DuckDB SQL that floors a TIMESTAMP expression to this granularity (UTC session).</summary>
    public string ToSql(string timestampSql)
    {
        if (IsNone)
        {
            return timestampSql;
        }

        if (IsAll || Period is not { } p)
        {
            return "TIMESTAMP '1970-01-01 00:00:00'";
        }

        string? unit = (p.Years, p.Months, p.Weeks, p.Days, p.Hours, p.Minutes, p.Seconds) switch
        {
            (1, 0, 0, 0, 0, 0, 0) => "year",
            (0, 3, 0, 0, 0, 0, 0) => "quarter",
            (0, 1, 0, 0, 0, 0, 0) => "month",
            (0, 0, 1, 0, 0, 0, 0) => "week",
            (0, 0, 0, 1, 0, 0, 0) => "day",
            (0, 0, 0, 0, 1, 0, 0) => "hour",
            (0, 0, 0, 0, 0, 1, 0) => "minute",
            (0, 0, 0, 0, 0, 0, 1m) => "second",
            _ => null,
        };
        if (unit is not null)
        {
            return $"date_trunc('{unit}', {timestampSql})";
        }

        if (p.Years > 0 || p.Months > 0)
        {
            return $"time_bucket(INTERVAL '{p.Years * 12 + p.Months} months', {timestampSql}, TIMESTAMP '1970-01-01 00:00:00')";
        }

        var micros = p.FixedPart.Ticks / 10;
        var origin = p.Weeks > 0 && p.Days == 0 && p.Hours == 0 && p.Minutes == 0 && p.Seconds == 0 ? "1970-01-05" : "1970-01-01";
        return $"time_bucket(to_microseconds({micros}), {timestampSql}, TIMESTAMP '{origin} 00:00:00')";
    }

    public override string ToString() => Name;

    /// <summary>A JSON string's value; null for anything else (a spec field of the wrong kind is a 400, not a crash).</summary>
    private static string? StringOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
