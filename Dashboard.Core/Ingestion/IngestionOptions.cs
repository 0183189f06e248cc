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

    /// <summary>The former name of Overlord:TaskMemory (MiB), still read when that key is not set; 0 means not set.</summary>
    public int MemoryLimitMiB { get; set; }

    /// <summary>The former name of Overlord:TaskThreads, still read when that key is not set; 0 means one per core.</summary>
    public int Threads { get; set; }
}
