using Dashboard.Core.Common;
using Dashboard.Core.Msq.Dialect;

namespace Dashboard.Core.Msq.Execution;

/// <summary>Sizes an SQL ingestion may ask for, checked at submission (a 400, before any task exists), with Druid's limits.</summary>
public static class MsqBounds
{
    public const long DefaultRowsPerSegment = 3_000_000;

    /// <summary>Druid reads rowsPerSegment and maxRowsInMemory as 32-bit integers.</summary>
    public const long MaxRowsSetting = int.MaxValue;

    /// <summary>The context's rowsPerSegment (Druid's default 3,000,000), positive and at most 2,147,483,647.</summary>
    public static long RowsPerSegment(long? value) => Rows("rowsPerSegment", value) ?? DefaultRowsPerSegment;

    /// <summary>The context's maxRowsInMemory when given, positive and at most 2,147,483,647.</summary>
    public static long? MaxRowsInMemory(long? value) => Rows("maxRowsInMemory", value);

    /// <summary>
    /// A REPLACE whose OVERWRITE range covers more time chunks at its PARTITIONED BY than Druid's maxBuckets (5,000) is
    /// refused as Druid's TooManyBuckets, counted arithmetically. OVERWRITE ALL and PARTITIONED BY ALL are one range.
    /// </summary>
    public static void CheckOverwriteBuckets(DruidSqlStatement statement)
    {
        if (statement.Kind != MsqStatementKind.Replace || statement.OverwriteIntervals is not { } intervals || statement.PartitionedBy is not { IsAll: false } granularity
            || intervals.Contains(Interval.Eternity))
        {
            return;
        }

        long chunks = 0;
        foreach (var interval in intervals)
        {
            chunks = Math.Min(long.MaxValue / 2, chunks + TimeChunks.Count(granularity, interval));
        }

        if (chunks > MsqControllerTask.MaxBuckets)
        {
            throw MsqErrors.Invalid($"The OVERWRITE range [{string.Join(",", intervals)}] covers {chunks:N0} time chunks at PARTITIONED BY {granularity.Name.ToUpperInvariant()}. " +
                                    MsqFault.TooManyBuckets(MsqControllerTask.MaxBuckets).Message);
        }
    }

    private static long? Rows(string key, long? value) =>
        value is null or (>= 1 and <= MaxRowsSetting) ? value
            : throw MsqErrors.Invalid($"Context key [{key}] must be between 1 and {MaxRowsSetting:N0} (a positive 32-bit integer, as Druid reads it), got [{value}].");
}
