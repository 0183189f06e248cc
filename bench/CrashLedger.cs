using System.Collections.Concurrent;

namespace Dashboard.Bench;

/// <summary>What a crash campaign knows for sure: tasks it saw SUCCESS, and for ingestions the rows and segments they published.</summary>
public sealed class CrashLedger
{
    /// <summary>Every task seen SUCCESS (noops and ingestions), with whether it had a report then.</summary>
    public Dictionary<string, bool> Succeeded { get; } = new(StringComparer.Ordinal);

    /// <summary>Successful ingestions by task id.</summary>
    public Dictionary<string, IngestionRecord> Ingestions { get; } = new(StringComparer.Ordinal);

    /// <summary>The kind of every task the campaign submitted, by id.</summary>
    public ConcurrentDictionary<string, TaskKind> Kinds { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The rows a datasource must hold: the newest successful overwrite (native ingestion, REPLACE) hides every older
    /// version, so the rows are those of the successful ingestions whose segments are of that version or newer
    /// (appends continue the version they found); with no overwrite, every append's rows.
    /// </summary>
    public long ExpectedRows(string dataSource) => Visible(dataSource).Sum(i => i.Rows);

    /// <summary>The successful ingestions of a datasource whose rows must be visible (see <see cref="ExpectedRows"/>).</summary>
    public IEnumerable<IngestionRecord> Visible(string dataSource)
    {
        var ingestions = Ingestions.Values.Where(i => i.DataSource == dataSource).ToList();
        var newestOverwrite = ingestions.Where(i => i.Kind.Overwrites()).Select(i => i.Version).Max(StringComparer.Ordinal);
        return ingestions.Where(i => newestOverwrite is null || string.CompareOrdinal(i.Version, newestOverwrite) >= 0);
    }
}

public enum TaskKind
{
    Noop,
    Native,
    Insert,
    Replace,
}

public static class TaskKindExtensions
{
    public static bool Overwrites(this TaskKind kind) => kind is TaskKind.Native or TaskKind.Replace;
}

/// <summary>A successful ingestion: its report's rows and the segments it published (one version per task).</summary>
public sealed record IngestionRecord(string TaskId, TaskKind Kind, string DataSource, long Rows, string Version, IReadOnlyList<SegmentRecord> Segments);

/// <summary>A published segment as the campaign checks it: id, version, file and row count.</summary>
public sealed record SegmentRecord(string Identifier, string Version, string Path, long TotalRows);
