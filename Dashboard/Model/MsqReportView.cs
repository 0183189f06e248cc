using System.Globalization;
using System.Text.Json.Nodes;

namespace Dashboard.Model;

/// <summary>One stage of a multiStageQuery report, with its counters summed over workers.</summary>
public sealed record MsqStageRow(
    int Number,
    string Processor,
    string Phase,
    int Workers,
    int? Partitions,
    DateTimeOffset? Start,
    long DurationMs,
    long InputRows,
    long InputBytes,
    long InputFiles,
    long TotalFiles,
    long OutputRows,
    long OutputBytes,
    long OutputFrames,
    double? SortProgress,
    IReadOnlyList<MsqWorkerRows> WorkerRows)
{
    public bool IsFinished => Phase is "FINISHED" or "RESULTS_READY" or "RESULTS_COMPLETE";

    public bool IsRunning => Phase is "READING_INPUT" or "POST_READING";

    /// <summary>Input rows per second while the stage ran (or has run so far).</summary>
    public double? RowsPerSecond => DurationMs > 0 && InputRows > 0 ? InputRows * 1000.0 / DurationMs : null;

    /// <summary>0..1: finished stages are 1; a running stage by files read (or sort progress), else half-way.</summary>
    public double Progress => IsFinished ? 1
        : !IsRunning ? 0
        : TotalFiles > 0 ? Math.Min(1, (double)InputFiles / TotalFiles)
        : SortProgress ?? (Phase == "POST_READING" ? 0.75 : 0.5);
}

/// <summary>Rows one worker read in a stage (for the skew and per-worker lanes).</summary>
public sealed record MsqWorkerRows(int Worker, long InputRows, long OutputRows);

/// <summary>The error report of a failed query.</summary>
public sealed record MsqErrorView(string Code, string Message, string? TaskId, string? Host, int? StageNumber, string? StackTrace);

/// <summary>The results of a SELECT: column names and SQL types, rows as text.</summary>
public sealed record MsqResultsView(IReadOnlyList<string> Columns, IReadOnlyList<string> SqlTypes, IReadOnlyList<IReadOnlyList<string?>> Rows, bool Truncated);

/// <summary>
/// A multiStageQuery task report (druid-behaviour.md §4) read for the execution view: status, stages with counters summed
/// per stage, the overall progress, the error and the results. Parses both Druid's documented sample and live reports.
/// </summary>
public sealed class MsqReportView
{
    public string Status { get; private init; } = "RUNNING";
    public DateTimeOffset? StartTime { get; private init; }
    public long DurationMs { get; private init; }
    public int PendingTasks { get; private init; }
    public int RunningTasks { get; private init; }
    public IReadOnlyList<MsqStageRow> Stages { get; private init; } = [];
    public MsqErrorView? Error { get; private init; }
    public IReadOnlyList<(string Code, long Count)> Warnings { get; private init; } = [];
    public MsqResultsView? Results { get; private init; }

    public bool IsRunning => Status == "RUNNING";

    public bool IsIngestion => Stages.Any(s => s.Processor == "segmentGenerator");

    /// <summary>Rows into the segment generator (the ingested row count) when the query is an ingestion.</summary>
    public long? IngestedRows => Stages.LastOrDefault(s => s.Processor == "segmentGenerator")?.InputRows;

    /// <summary>0..1 over every stage, each weighing the same.</summary>
    public double OverallProgress => Status == "SUCCESS" ? 1 : Stages.Count == 0 ? 0 : Stages.Average(s => s.Progress);

    /// <summary>The first stage that is running, if any.</summary>
    public MsqStageRow? CurrentStage => Stages.FirstOrDefault(s => s.IsRunning);

    /// <summary>Reads <paramref name="report"/>: the whole reports object or its <c>multiStageQuery</c> entry; null without one.</summary>
    public static MsqReportView? From(JsonObject? report)
    {
        var msq = report?["multiStageQuery"] as JsonObject ?? (report?["payload"] is not null ? report : null);
        if (msq?["payload"] is not JsonObject payload)
        {
            return null;
        }

        var status = payload["status"] as JsonObject;
        var counters = payload["counters"] as JsonObject;
        var stages = (payload["stages"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(s => Stage(s, counters))
            .OrderBy(s => s.Number)
            .ToList();
        return new MsqReportView
        {
            Status = Text(status?["status"]) ?? "RUNNING",
            StartTime = Time(status?["startTime"]),
            DurationMs = Long(status?["durationMs"]),
            PendingTasks = (int)Long(status?["pendingTasks"]),
            RunningTasks = (int)Long(status?["runningTasks"]),
            Stages = stages,
            Error = ErrorOf(status?["errorReport"] as JsonObject),
            Warnings = WarningsOf(status?["warningReports"] as JsonArray),
            Results = ResultsOf(payload["results"] as JsonObject),
        };
    }

    private static MsqStageRow Stage(JsonObject stage, JsonObject? counters)
    {
        var number = (int)Long(stage["stageNumber"]);
        long inRows = 0, inBytes = 0, inFiles = 0, totalFiles = 0, outRows = 0, outBytes = 0, outFrames = 0;
        double? sort = null;
        var workers = new List<MsqWorkerRows>();
        if (counters?[number.ToString(CultureInfo.InvariantCulture)] is JsonObject perWorker)
        {
            foreach (var (worker, node) in perWorker.OrderBy(w => int.TryParse(w.Key, out var n) ? n : 0))
            {
                if (node is not JsonObject c)
                {
                    continue;
                }

                long wIn = 0, wOut = 0;
                foreach (var (name, channel) in c)
                {
                    if (name.StartsWith("input", StringComparison.Ordinal))
                    {
                        wIn += Sum(channel?["rows"]);
                        inBytes += Sum(channel?["bytes"]);
                        inFiles += Sum(channel?["files"]);
                        totalFiles += Sum(channel?["totalFiles"]);
                    }
                    else if (name == "output")
                    {
                        wOut += Sum(channel?["rows"]);
                        outBytes += Sum(channel?["bytes"]);
                        outFrames += Sum(channel?["frames"]);
                    }
                    else if (name == "sortProgress" && channel?["progressDigest"] is JsonValue digest && digest.TryGetValue<double>(out var d))
                    {
                        sort = d;
                    }
                }

                inRows += wIn;
                outRows += wOut;
                workers.Add(new MsqWorkerRows(int.TryParse(worker, out var w) ? w : workers.Count, wIn, wOut));
            }
        }

        return new MsqStageRow(
            number,
            Text(stage["definition"]?["processor"]?["type"]) ?? "?",
            Text(stage["phase"]) ?? "NEW",
            (int)Long(stage["workerCount"]),
            stage["partitionCount"] is null ? null : (int)Long(stage["partitionCount"]),
            Time(stage["startTime"]),
            Long(stage["duration"]),
            inRows, inBytes, inFiles, totalFiles, outRows, outBytes, outFrames, sort, workers);
    }

    private static MsqErrorView? ErrorOf(JsonObject? report)
    {
        if (report is null)
        {
            return null;
        }

        var error = report["error"] as JsonObject;
        return new MsqErrorView(
            Text(error?["errorCode"]) ?? "UnknownError",
            Text(error?["errorMessage"]) ?? "",
            Text(report["taskId"]),
            Text(report["host"]),
            report["stageNumber"] is null ? null : (int)Long(report["stageNumber"]),
            Text(report["exceptionStackTrace"]));
    }

    private static IReadOnlyList<(string, long)> WarningsOf(JsonArray? warnings) =>
        warnings is null
            ? []
            : warnings.OfType<JsonObject>()
                .GroupBy(w => Text(w["error"]?["errorCode"]) ?? "Warning")
                .Select(g => (g.Key, (long)g.Count()))
                .ToList();

    private static MsqResultsView? ResultsOf(JsonObject? results)
    {
        if (results is null)
        {
            return null;
        }

        var columns = (results["signature"] as JsonArray ?? []).Select(c => Text(c?["name"]) ?? "").ToList();
        var types = (results["sqlTypeNames"] as JsonArray ?? []).Select(t => Text(t) ?? "").ToList();
        var rows = (results["results"] as JsonArray ?? [])
            .Select(r => (IReadOnlyList<string?>)(r as JsonArray ?? []).Select(CellText).ToList())
            .ToList();
        return new MsqResultsView(columns, types, rows, results["resultsTruncated"] is JsonValue v && v.TryGetValue<bool>(out var t) && t);
    }

    private static string? CellText(JsonNode? cell) => cell switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        _ => cell.ToJsonString(),
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    private static long Long(JsonNode? node) => node is JsonValue v
        ? v.TryGetValue<long>(out var l) ? l : v.TryGetValue<double>(out var d) ? (long)d : v.TryGetValue<int>(out var i) ? i : 0
        : 0;

    private static long Sum(JsonNode? node) => node switch
    {
        JsonArray a => a.Sum(Long),
        JsonValue => Long(node),
        _ => 0,
    };
}
