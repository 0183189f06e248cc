using System.Collections.Concurrent;
using Dashboard.Core.Storage;

namespace Dashboard.Core.Segments;

/// <summary>
/// The visible segments of each datasource (the timeline over its used segments), kept in memory so that a query does
/// not read and parse every segment row from SQLite. An entry is used only while the store's segment generation is the
/// one it was read at; every task completion (publish, REPLACE's drop) bumps the generation, and while a completion is
/// being written the store is read directly, so a segment published or replaced is visible to the next query at once.
/// </summary>
public sealed class VisibleSegmentCache(SqliteMetadataStore store)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<DataSegment>> GetVisibleAsync(string dataSource, CancellationToken cancellationToken)
    {
        var cacheable = store.TryGetSegmentsGeneration(out var generation);
        if (cacheable && _entries.TryGetValue(dataSource, out var entry) && entry.Generation == generation)
        {
            return entry.Visible;
        }

        var visible = SegmentTimeline.Visible(await store.GetUsedSegmentsAsync(dataSource, null, cancellationToken));
        // Names without segments are not kept, so querying made-up names cannot grow the cache.
        if (cacheable && visible.Count > 0)
        {
            _entries[dataSource] = new Entry(generation, visible);
        }

        return visible;
    }

    private sealed record Entry(long Generation, IReadOnlyList<DataSegment> Visible);
}
