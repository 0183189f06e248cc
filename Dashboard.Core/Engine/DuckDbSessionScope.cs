namespace Dashboard.Core.Engine;

/// <summary>What a session is for: a task's session gets the task budget, the short planner, sampler and schema reads a small share.</summary>
public enum DuckDbSessionKind
{
    Task,
    Auxiliary,
}

/// <summary>
/// Everything one DuckDB session may touch: the exact files it reads (inputs the resolver checked, segment files) and the
/// folders it reads and writes (the task's work, stage and staging folders). Nothing else is reachable once sealed.
/// </summary>
public sealed record DuckDbSessionScope(DuckDbSessionKind Kind, string Purpose)
{
    /// <summary>Exact files the session may read (DuckDB's <c>allowed_paths</c>).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>Folders the session may read and write, with everything under them (DuckDB's <c>allowed_directories</c>).</summary>
    public IReadOnlyList<string> Directories { get; init; } = [];

    /// <summary>Where DuckDB spills when the session's memory is full; by default the data dir's <c>tmp</c> folder.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>A lower memory limit than the budget (maxRowsInMemory); never a higher one.</summary>
    public long? MemoryLimitMiB { get; init; }

    /// <summary>False lets DuckDB reorder rows it writes in bulk (faster, less memory); results read back in order keep it true.</summary>
    public bool PreserveInsertionOrder { get; init; } = true;

    /// <param name="purpose">What the session does (ingestion, msq-worker, ...), for logs and tests.</param>
    public static DuckDbSessionScope ForTask(string purpose) => new(DuckDbSessionKind.Task, purpose);

    public static DuckDbSessionScope ForAuxiliary(string purpose) => new(DuckDbSessionKind.Auxiliary, purpose);
}
