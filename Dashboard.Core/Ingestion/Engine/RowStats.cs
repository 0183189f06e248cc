using System.Text.Json.Nodes;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>Druid's row counters for one phase of ingestion (<c>rowStats.buildSegments</c>).</summary>
public sealed record RowStats(long Processed, long ProcessedBytes, long ProcessedWithError, long ThrownAway, long Unparseable)
{
    public static readonly RowStats Zero = new(0, 0, 0, 0, 0);

    public RowStats Add(RowStats other) => new(Processed + other.Processed, ProcessedBytes + other.ProcessedBytes,
        ProcessedWithError + other.ProcessedWithError, ThrownAway + other.ThrownAway, Unparseable + other.Unparseable);

    public JsonObject ToJson() => new()
    {
        ["processed"] = Processed,
        ["processedBytes"] = ProcessedBytes,
        ["processedWithError"] = ProcessedWithError,
        ["thrownAway"] = ThrownAway,
        ["unparseable"] = Unparseable,
    };

    public static RowStats FromJson(JsonNode? node) => node is null
        ? Zero
        : new RowStats(Read(node, "processed"), Read(node, "processedBytes"), Read(node, "processedWithError"), Read(node, "thrownAway"), Read(node, "unparseable"));

    private static long Read(JsonNode node, string name) => node[name]?.GetValue<long>() ?? 0;
}

/// <summary>Row counters updated while rows flow through the engine, read by the live report.</summary>
public sealed class LiveRowStats
{
    private long _processed;
    private long _processedBytes;
    private long _processedWithError;
    private long _thrownAway;
    private long _unparseable;

    /// <summary>Adds one chunk of classified rows: class 0 processed, 1 unparseable, 2 thrown away, 3 processed with error.</summary>
    public void Add(long processed, long unparseable, long thrownAway, long processedWithError, long bytes)
    {
        Interlocked.Add(ref _processed, processed);
        Interlocked.Add(ref _unparseable, unparseable);
        Interlocked.Add(ref _thrownAway, thrownAway);
        Interlocked.Add(ref _processedWithError, processedWithError);
        Interlocked.Add(ref _processedBytes, bytes);
    }

    public void Add(RowStats stats) => Add(stats.Processed, stats.Unparseable, stats.ThrownAway, stats.ProcessedWithError, stats.ProcessedBytes);

    /// <summary>The rows the input is expected to hold (<see cref="InputSize.EstimateRows"/>), for progress; null when unknown.</summary>
    public long? EstimatedTotalRows { get; set; }

    public RowStats Snapshot() => new(Interlocked.Read(ref _processed), Interlocked.Read(ref _processedBytes),
        Interlocked.Read(ref _processedWithError), Interlocked.Read(ref _thrownAway), Interlocked.Read(ref _unparseable));
}

/// <summary>One saved parse exception, as Druid's ingestion report lists them.</summary>
public sealed record ParseExceptionReport(string Input, string ErrorType, string Message, long TimeOfExceptionMillis)
{
    public JsonObject ToJson() => new()
    {
        ["input"] = Input,
        ["errorType"] = ErrorType,
        ["details"] = new JsonArray(Message),
        ["timeOfExceptionMillis"] = TimeOfExceptionMillis,
    };
}
