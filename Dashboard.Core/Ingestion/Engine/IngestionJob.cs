using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Segments;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>One run of the engine: a spec, the files to read, where to stage, and how to get segment ids.</summary>
public sealed record IngestionJob(
    string TaskId,
    IngestionSpec Spec,
    IReadOnlyList<InputFile> Files,
    string WorkDir,
    string StagingDir,
    Func<Interval, CancellationToken, Task<SegmentAllocation>> AllocateAsync,
    Func<SegmentAllocation, string> FinalPath,
    LiveRowStats Counters,
    Func<string, ValueTask> LogAsync,
    Func<IReadOnlyList<Interval>, CancellationToken, Task> BeforeWritingAsync);

/// <summary>What the engine produced: exact row counters, saved parse exceptions, staged segments, or why it failed.</summary>
public sealed record IngestionResult(RowStats Stats, IReadOnlyList<ParseExceptionReport> ParseExceptions, IReadOnlyList<StagedSegment> Segments, string? Failure);
