using Dashboard.Core.Common;

namespace Dashboard.Core.Segments;

/// <summary>
/// Druid's versioned timeline: a segment is overshadowed when segments of a newer version together cover its whole
/// interval. Reads see only the visible ones; appends add partitions to the visible version.
/// </summary>
public static class SegmentTimeline
{
    public static (IReadOnlyList<DataSegment> Visible, IReadOnlyList<DataSegment> Overshadowed) Classify(IEnumerable<DataSegment> segments)
    {
        var visible = new List<DataSegment>();
        var overshadowed = new List<DataSegment>();
        var newer = new List<Interval>();
        foreach (var version in segments.GroupBy(s => s.Version).OrderByDescending(g => g.Key, StringComparer.Ordinal))
        {
            var merged = Merge(newer);
            foreach (var segment in version)
            {
                (Covers(merged, segment.Interval) ? overshadowed : visible).Add(segment);
            }

            newer.AddRange(version.Select(s => s.Interval));
        }

        return (visible, overshadowed);
    }

    public static IReadOnlyList<DataSegment> Visible(IEnumerable<DataSegment> segments) => Classify(segments).Visible;

    private static List<Interval> Merge(List<Interval> intervals)
    {
        var merged = new List<Interval>();
        foreach (var interval in intervals.OrderBy(i => i.Start))
        {
            if (merged.Count > 0 && merged[^1].End >= interval.Start)
            {
                merged[^1] = merged[^1] with { End = interval.End > merged[^1].End ? interval.End : merged[^1].End };
            }
            else
            {
                merged.Add(interval);
            }
        }

        return merged;
    }

    private static bool Covers(List<Interval> merged, Interval interval) => merged.Any(m => m.Contains(interval));
}
