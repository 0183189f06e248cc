using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dashboard.Core.Common;

namespace Dashboard.Core.Clients;

/// <summary>A middle manager or indexer as Druid's <c>Worker</c> describes it.</summary>
public sealed record Worker(string Scheme, string Host, string Ip, int Capacity, string Version, string Category);

/// <summary>
/// One worker and what it runs, as Druid's <c>GET /druid/indexer/v1/workers</c> lists it (<c>ImmutableWorkerInfo</c>).
/// <see cref="LastCompletedTaskTime"/> is the worker's start until a task completes on it.
/// </summary>
public sealed record WorkerInfo(
    Worker Worker,
    int CurrCapacityUsed,
    int CurrParallelIndexCapacityUsed,
    IReadOnlyList<string> AvailabilityGroups,
    IReadOnlyList<string> RunningTasks,
    DateTimeOffset LastCompletedTaskTime,
    DateTimeOffset? BlacklistedUntil)
{
    /// <summary>Druid's default worker version (<c>druid.worker.version</c>).</summary>
    public const string DefaultVersion = "0";

    [JsonIgnore]
    public int FreeSlots => Math.Max(0, Worker.Capacity - CurrCapacityUsed);

    /// <summary>The answer of <c>GET /workers</c>, read leniently (fields a Druid version lacks are left empty).</summary>
    public static IReadOnlyList<WorkerInfo> ListFromJson(JsonNode? answer) =>
        (answer as JsonArray ?? []).OfType<JsonObject>().Select(FromJson).ToList();

    private static WorkerInfo FromJson(JsonObject o)
    {
        var w = o["worker"] as JsonObject ?? [];
        static string Text(JsonNode? n, string fallback = "") => n is JsonValue v ? v.ToString() : fallback;
        static int Int(JsonNode? n) => JsonNumbers.TryGetInt64(n, out var x) ? (int)x : 0;
        static IReadOnlyList<string> Strings(JsonNode? n) => (n as JsonArray ?? []).Select(x => Text(x)).ToList();
        static DateTimeOffset? Time(JsonNode? n) => n is JsonValue v && DruidTime.TryParse(v.ToString(), out var t) ? t : null;
        return new WorkerInfo(
            new Worker(Text(w["scheme"], "http"), Text(w["host"]), Text(w["ip"]), Int(w["capacity"]), Text(w["version"], DefaultVersion),
                Text(w["category"], Metrics.DruidMetrics.DefaultWorkerCategory)),
            Int(o["currCapacityUsed"]), Int(o["currParallelIndexCapacityUsed"]), Strings(o["availabilityGroups"]), Strings(o["runningTasks"]),
            Time(o["lastCompletedTaskTime"]) ?? DruidTime.Epoch, Time(o["blacklistedUntil"]));
    }
}

/// <summary>A data server as the coordinator's <c>GET /druid/coordinator/v1/servers?simple</c> lists it.</summary>
public sealed record ServerSummary(string Host, string Type, string Tier, int Priority, long CurrSize, long MaxSize)
{
    public static IReadOnlyList<ServerSummary> ListFromJson(JsonNode? answer) =>
        (answer as JsonArray ?? []).OfType<JsonObject>().Select(o => new ServerSummary(
            o["host"]?.ToString() ?? "", o["type"]?.ToString() ?? "", o["tier"]?.ToString() ?? "",
            JsonNumbers.TryGetInt64(o["priority"], out var p) ? (int)p : 0,
            JsonNumbers.TryGetInt64(o["currSize"], out var c) ? c : 0,
            JsonNumbers.TryGetInt64(o["maxSize"], out var m) ? m : 0)).ToList();
}

/// <summary>The workers and data servers at one moment, for the Services view; <see cref="Error"/> says why a part could not be read.</summary>
public sealed record ServicesSnapshot(IReadOnlyList<WorkerInfo> Workers, IReadOnlyList<ServerSummary> Servers, DateTimeOffset ReadAt, string? Error = null)
{
    public static readonly ServicesSnapshot Empty = new([], [], DruidTime.Epoch);

    public int Capacity => Workers.Sum(w => w.Worker.Capacity);

    public int Used => Workers.Sum(w => w.CurrCapacityUsed);
}
