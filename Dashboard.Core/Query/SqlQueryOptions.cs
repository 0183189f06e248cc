namespace Dashboard.Core.Query;

/// <summary>The <c>Sql</c> configuration section: the interactive SQL endpoint's own slots, separate from task slots.</summary>
public sealed class SqlQueryOptions
{
    public const string Section = "Sql";

    /// <summary>Interactive queries that may run at once; one more is a 429 (Druid's druid.server.http.numThreads share).</summary>
    public int MaxConcurrentQueries { get; set; } = 4;

    /// <summary>The timeout of a query whose context names none (Druid's druid.server.http.defaultQueryTimeout, 300 s).</summary>
    public TimeSpan DefaultTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Memory of one interactive query in MiB (never above Overlord:TaskMemory); 0 means the task budget.</summary>
    public int QueryMemoryMiB { get; set; }
}
