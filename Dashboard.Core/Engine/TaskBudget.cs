using Dashboard.Core.Ingestion;
using Dashboard.Core.Overlord;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Engine;

/// <summary>
/// Memory and threads of one task's DuckDB session. <c>Overlord:TaskMemory</c> (MiB) or, as before,
/// <c>Ingestion:MemoryLimitMiB</c>; by default half the machine's memory shared by the task slots, at least 256 MiB
/// (or an equal share of the machine when the slots are too many for that). The slots together never get more than the
/// machine has: <see cref="Problem"/> says so and the server refuses to start.
/// </summary>
public sealed class TaskBudget
{
    public const string MemoryKey = "Overlord:TaskMemory";
    public const string ThreadsKey = "Overlord:TaskThreads";
    public const long MinimumDefaultMiB = 256;

    public TaskBudget(IOptions<OverlordOptions> overlord, IOptions<IngestionOptions> ingestion)
        : this(overlord.Value, ingestion.Value, GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1048576)
    {
    }

    public TaskBudget(OverlordOptions overlord, IngestionOptions ingestion, long physicalMemoryMiB)
    {
        Slots = Math.Max(1, overlord.WorkerCapacity);
        PhysicalMemoryMiB = physicalMemoryMiB;
        var configured = overlord.TaskMemory > 0 ? overlord.TaskMemory : ingestion.MemoryLimitMiB > 0 ? ingestion.MemoryLimitMiB : 0;
        IsConfigured = configured > 0;
        var share = physicalMemoryMiB / 2 / Slots;
        MemoryMiB = IsConfigured ? configured
            : share >= MinimumDefaultMiB ? share
            : Math.Min(MinimumDefaultMiB, Math.Max(1, physicalMemoryMiB / Slots));
        var threads = overlord.TaskThreads > 0 ? overlord.TaskThreads : ingestion.Threads;
        Threads = threads > 0 ? threads : Environment.ProcessorCount;
        Problem = overlord.TaskMemory < 0
            ? $"Refusing to start: {MemoryKey} must be a positive number of MiB (got {overlord.TaskMemory})."
            : MemoryMiB * Slots > physicalMemoryMiB
                ? $"Refusing to start: {MemoryKey} ({MemoryMiB:N0} MiB) x Overlord:WorkerCapacity ({Slots}) = {MemoryMiB * Slots:N0} MiB is more than this machine's " +
                  $"physical memory ({physicalMemoryMiB:N0} MiB). Lower {MemoryKey} or Overlord:WorkerCapacity."
                : null;
    }

    /// <summary>MiB of DuckDB memory for one task's session.</summary>
    public long MemoryMiB { get; }

    /// <summary>DuckDB threads per session (<c>Overlord:TaskThreads</c>, or <c>Ingestion:Threads</c>; by default one per core).</summary>
    public int Threads { get; }

    public int Slots { get; }

    public long PhysicalMemoryMiB { get; }

    public bool IsConfigured { get; }

    /// <summary>Planning, sampling and schema reads run outside task slots: a small share, never more than a task's.</summary>
    public long AuxiliaryMemoryMiB => Math.Min(MemoryMiB, MinimumDefaultMiB);

    /// <summary>Why this configuration must not start, in one line; null when it may.</summary>
    public string? Problem { get; }

    /// <summary>A native task's memory: maxRowsInMemory rows at about 4 KiB each, at least 256 MiB, within the budget.</summary>
    public long ForMaxRowsInMemory(long maxRowsInMemory) => Math.Min(MemoryMiB, Math.Max(MinimumDefaultMiB, maxRowsInMemory / 1024 * 4));

    /// <summary>The failure of a task that needed more than its memory limit, for an operator to act on.</summary>
    public string OverBudgetMessage(long limitMiB, string engineMessage) =>
        $"The task went over its memory budget of {limitMiB:N0} MiB ({MemoryKey}; maxRowsInMemory may lower it) and stopped instead of growing: " +
        $"{engineMessage.Split('\n')[0]}. Raise {MemoryKey} (now {MemoryMiB:N0} MiB for each of {Slots} slots), lower Overlord:WorkerCapacity, or split the input.";

    /// <summary>True when DuckDB stopped a statement because the session's memory limit was reached.</summary>
    public static bool IsOutOfMemory(Exception ex) =>
        ex is DuckDB.NET.Data.DuckDBException && ex.Message.StartsWith("Out of Memory Error", StringComparison.Ordinal);
}
