using Dashboard.Core.Common;

namespace Dashboard.Core.Overlord;

/// <summary>The <c>Overlord</c> configuration section.</summary>
public sealed class OverlordOptions
{
    public const string Section = "Overlord";

    /// <summary>Folder for everything the server writes (metadata, task logs, segments). Relative to the working directory.</summary>
    public string DataDir { get; set; } = "var";

    /// <summary>Task slots: how many tasks run at once. More ready tasks wait as PENDING.</summary>
    public int WorkerCapacity { get; set; } = Math.Max(4, Environment.ProcessorCount);

    /// <summary>How far back <c>GET /tasks</c> lists complete tasks when no createdTimeInterval is given (ISO-8601 period).</summary>
    public string RecentlyFinishedThreshold { get; set; } = "PT24H";

    /// <summary>At most this many active tasks; a submission beyond it gets 429. Druid's druid.indexer.queue.maxSize.</summary>
    public int QueueMaxSize { get; set; } = int.MaxValue;

    /// <summary>DuckDB memory of one task's session, in MiB; 0 means half the machine's memory shared by the slots (at least 256 MiB).</summary>
    public long TaskMemory { get; set; }

    /// <summary>DuckDB threads of one session; 0 means Ingestion:Threads, or one per core.</summary>
    public int TaskThreads { get; set; }

    /// <summary>The most time chunks a native spec's granularitySpec.intervals may cover at its segmentGranularity.</summary>
    public long MaxTimeChunks { get; set; } = 50_000;

    /// <summary>Host name written into task locations; by default the host the server listens on (localhost for loopback).</summary>
    public string? AdvertisedHost { get; set; }

    public string ResolveDataDir() => Path.GetFullPath(DataDir);

    public TimeSpan RecentlyFinishedWindow => IsoPeriod.Parse(RecentlyFinishedThreshold).ToApproximateTimeSpan();

    /// <summary>Problems an operator must fix before the overlord can start, each in one sentence.</summary>
    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(DataDir))
        {
            yield return "Overlord:DataDir must name a folder.";
        }

        if (WorkerCapacity < 1)
        {
            yield return $"Overlord:WorkerCapacity must be at least 1 (got {WorkerCapacity}).";
        }

        if (!IsoPeriod.TryParse(RecentlyFinishedThreshold, out _))
        {
            yield return $"Overlord:RecentlyFinishedThreshold must be an ISO-8601 period such as PT24H (got '{RecentlyFinishedThreshold}').";
        }

        if (MaxTimeChunks < 1)
        {
            yield return $"Overlord:MaxTimeChunks must be at least 1 (got {MaxTimeChunks}).";
        }

        if (QueueMaxSize < 1)
        {
            yield return $"Overlord:QueueMaxSize must be at least 1 (got {QueueMaxSize}).";
        }
    }
}
