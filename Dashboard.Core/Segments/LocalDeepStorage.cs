using Dashboard.Core.Common;
using Dashboard.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Dashboard.Core.Segments;

/// <summary>
/// Segment files under the data dir. Tasks write to <c>staging/&lt;task&gt;/</c>; on success the files are moved to
/// <c>segments/&lt;dataSource&gt;/&lt;interval&gt;/&lt;version&gt;/&lt;partition&gt;.parquet</c> just before the metadata
/// commit that makes them visible. At start-up, staging is emptied and files no metadata row names are removed.
/// </summary>
public sealed class LocalDeepStorage(DataDirectory dataDirectory, ILogger<LocalDeepStorage> logger)
{
    public string SegmentsRoot { get; } = Path.Combine(dataDirectory.Root, "segments");
    public string StagingRoot { get; } = Path.Combine(dataDirectory.Root, "staging");
    public string WorkRoot { get; } = Path.Combine(dataDirectory.Root, "task-work");

    public string StagingDirFor(string taskId) => Path.Combine(StagingRoot, Escape(taskId));

    public string WorkDirFor(string taskId) => Path.Combine(WorkRoot, Escape(taskId));

    public string FinalPath(SegmentAllocation a) => Path.Combine(SegmentsRoot, Escape(a.DataSource),
        $"{DruidTime.Format(a.Interval.Start)}_{DruidTime.Format(a.Interval.End)}".Replace(':', '-'), Escape(a.Version.Replace(':', '-')), $"{a.PartitionNum}.parquet");

    /// <summary>Moves staged files into place. On any failure, what was moved is removed again and the error rethrown.</summary>
    public void Promote(IReadOnlyList<StagedSegment> staged)
    {
        var moved = new List<string>();
        try
        {
            foreach (var s in staged)
            {
                var target = PathOf(s.Segment);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Move(s.StagedPath, target, overwrite: true);
                moved.Add(target);
            }
        }
        catch
        {
            moved.ForEach(DeleteQuietly);
            throw;
        }
    }

    /// <summary>Removes promoted files whose metadata commit failed.</summary>
    public void Unpromote(IReadOnlyList<DataSegment> segments)
    {
        foreach (var segment in segments)
        {
            DeleteQuietly(PathOf(segment));
        }
    }

    public void DeleteStaged(IReadOnlyList<StagedSegment> staged)
    {
        foreach (var s in staged)
        {
            DeleteQuietly(s.StagedPath);
        }
    }

    public void DeleteTaskFolders(string taskId)
    {
        DeleteDirectoryQuietly(StagingDirFor(taskId));
        DeleteDirectoryQuietly(WorkDirFor(taskId));
    }

    /// <summary>At start-up, with no task running: empties staging and work folders and removes unpublished segment files.</summary>
    public int Sweep(IReadOnlySet<string> publishedPaths)
    {
        DeleteDirectoryQuietly(StagingRoot);
        DeleteDirectoryQuietly(WorkRoot);
        if (!Directory.Exists(SegmentsRoot))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(SegmentsRoot, "*", SearchOption.AllDirectories))
        {
            if (!publishedPaths.Contains(Path.GetFullPath(file)))
            {
                DeleteQuietly(file);
                removed++;
            }
        }

        if (removed > 0)
        {
            logger.LogWarning("Removed {Count} segment file(s) that no published segment refers to (left by a task that did not finish).", removed);
        }

        return removed;
    }

    public static string PathOf(DataSegment segment) => segment.LoadSpec["path"]!.GetValue<string>();

    private static string Escape(string name) => Uri.EscapeDataString(name);

    private void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not delete {Path}.", path);
        }
    }

    private void DeleteDirectoryQuietly(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException ex)
        {
            logger.LogWarning(ex, "Could not delete {Path}.", path);
        }
    }
}
