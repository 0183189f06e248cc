namespace Dashboard.Core.Common;

/// <summary>
/// Time chunks counted and spanned arithmetically, never enumerated: a spec may name ten thousand years at hour
/// granularity (87 million chunks), and that must cost nothing to check or to lock.
/// </summary>
public static class TimeChunks
{
    /// <summary>How many chunks of <paramref name="granularity"/> overlap <paramref name="interval"/>.</summary>
    public static long Count(Granularity granularity, Interval interval)
    {
        if (interval.End <= interval.Start)
        {
            return 0;
        }

        if (granularity.IsAll)
        {
            return 1;
        }

        var last = interval.End.AddTicks(-1);
        if (granularity.IsNone || granularity.Period is not { } p)
        {
            return (last.UtcTicks - interval.Start.UtcTicks) / TimeSpan.TicksPerMillisecond + 1;
        }

        if (p.Years > 0 || p.Months > 0)
        {
            long months = p.Years * 12L + p.Months;
            return FloorDiv(MonthIndex(last), months) - FloorDiv(MonthIndex(interval.Start), months) + 1;
        }

        var size = p.FixedPart.Ticks;
        var origin = granularity.Floor(DateTimeOffset.UnixEpoch).UtcTicks;
        return FloorDiv(last.UtcTicks - origin, size) - FloorDiv(interval.Start.UtcTicks - origin, size) + 1;
    }

    /// <summary>The one interval the chunks overlapping <paramref name="interval"/> cover together (from the first chunk's start to the last one's end).</summary>
    public static Interval Span(Granularity granularity, Interval interval)
    {
        if (granularity.IsAll)
        {
            return Interval.Eternity;
        }

        if (interval.End <= interval.Start)
        {
            return interval;
        }

        // A chunk that would start before year 1 or end after year 9999 is cut at the ends of time.
        var start = Clamped(() => granularity.Floor(interval.Start), DateTimeOffset.MinValue);
        var end = Clamped(() => granularity.BucketOf(interval.End.AddTicks(-1)).End, DateTimeOffset.MaxValue);
        return new Interval(start, end);
    }

    private static DateTimeOffset Clamped(Func<DateTimeOffset> compute, DateTimeOffset outOfRange)
    {
        try
        {
            return compute();
        }
        catch (ArgumentOutOfRangeException)
        {
            return outOfRange;
        }
    }

    private static long MonthIndex(DateTimeOffset instant) => (instant.UtcDateTime.Year - 1970) * 12L + instant.UtcDateTime.Month - 1;

    private static long FloorDiv(long value, long divisor) => value >= 0 ? value / divisor : (value - divisor + 1) / divisor;
}
