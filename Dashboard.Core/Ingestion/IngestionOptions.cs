namespace Dashboard.Core.Ingestion;

/// <summary>The <c>Ingestion</c> configuration section: where ingestion may read from, and how much memory it may use.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>Folders local input sources may read from. Empty means the working directory and the data dir.</summary>
    public List<string> AllowedBaseDirs { get; set; } = [];

    /// <summary>URI schemes an http input source may use (Druid's druid.ingestion.http.allowedProtocols).</summary>
    public List<string> AllowedHttpProtocols { get; set; } = ["http", "https"];

    /// <summary>Hosts an http input source may read from. Empty means any host.</summary>
    public List<string> AllowedHttpHosts { get; set; } = [];

    /// <summary>DuckDB memory per ingestion task, in MiB, before it spills to the task's temp folder.</summary>
    public int MemoryLimitMiB { get; set; } = 1024;

    /// <summary>DuckDB threads per ingestion task; 0 means one per core.</summary>
    public int Threads { get; set; }
}
