using Dashboard.Core.Common;
using Dashboard.Core.Storage;

namespace Dashboard.Core.Segments;

/// <summary>
/// Hands out segment ids (version and partition number per time chunk) and records each as a pending segment until
/// the writing task ends. Appends continue the visible version of a chunk; overwrites use the task's new version.
/// </summary>
public sealed class SegmentAllocator(ISegmentMetadataStore store, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>A version newer than every version the data source has: now, or 1 ms after the newest if the clock lags.</summary>
    public async Task<string> NewVersionAsync(string dataSource, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var newest = await store.GetNewestVersionAsync(dataSource, cancellationToken);
        if (newest is not null && DruidTime.TryParse(newest, out var newestTime) && newestTime >= now)
        {
            now = newestTime.AddMilliseconds(1);
        }

        return DruidTime.Format(now);
    }

    public async Task<SegmentAllocation> AllocateAsync(string dataSource, Interval chunk, bool append, string newVersion, string allocatorTaskId,
        CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var existing = await store.GetUsedSegmentsAsync(dataSource, chunk, cancellationToken);
            var pending = await store.GetPendingSegmentsAsync(dataSource, chunk, cancellationToken);
            var version = newVersion;
            if (append)
            {
                var visible = SegmentTimeline.Visible(existing).Where(s => s.Interval == chunk).ToList();
                version = visible.Count > 0
                    ? visible.Max(s => s.Version)!
                    : pending.Where(p => p.Interval == chunk && p.TaskAllocatorId == allocatorTaskId).Select(p => p.Version).FirstOrDefault() ?? newVersion;
            }

            var partition = existing.Where(s => s.Interval == chunk && s.Version == version).Select(s => s.PartitionNum)
                .Concat(pending.Where(p => p.Interval == chunk && p.Version == version).Select(p => p.PartitionNum))
                .DefaultIfEmpty(-1).Max() + 1;
            var allocation = new SegmentAllocation(dataSource, chunk, version, partition);
            var id = $"{dataSource}_{DruidTime.Format(chunk.Start)}_{DruidTime.Format(chunk.End)}_{version}" + (partition == 0 ? "" : $"_{partition}");
            await store.InsertPendingSegmentAsync(new PendingSegment(id, dataSource, chunk, version, partition, allocatorTaskId, allocatorTaskId, time.GetUtcNow()),
                cancellationToken);
            return allocation;
        }
        finally
        {
            _gate.Release();
        }
    }
}
