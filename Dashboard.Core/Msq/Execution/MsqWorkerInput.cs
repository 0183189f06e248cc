using System.Text.Json.Nodes;

namespace Dashboard.Core.Msq.Execution;

/// <summary>One input of a worker: the view it feeds, and the files to read (external data or segment files).</summary>
public sealed record MsqWorkerInput(string View, string Kind, IReadOnlyList<string> Files, JsonObject? InputFormat, IReadOnlyList<(string Name, string Type)> Signature)
{
    public JsonObject ToJson() => new()
    {
        ["view"] = View,
        ["kind"] = Kind,
        ["files"] = new JsonArray(Files.Select(f => (JsonNode)f).ToArray()),
        ["inputFormat"] = InputFormat?.DeepClone(),
        ["signature"] = new JsonArray(Signature.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.Type }).ToArray()),
    };

    public static MsqWorkerInput FromJson(JsonObject json) => new(
        json["view"]!.GetValue<string>(), json["kind"]!.GetValue<string>(),
        json["files"]!.AsArray().Select(f => f!.GetValue<string>()).ToList(),
        json["inputFormat"] as JsonObject,
        (json["signature"] as JsonArray ?? []).OfType<JsonObject>().Select(c => (c["name"]!.GetValue<string>(), c["type"]!.GetValue<string>())).ToList());

    /// <summary>Where the worker writes this input's rows for the next stage.</summary>
    public static string OutputPath(string stageDir, string view, int worker) => Path.Combine(stageDir, $"{view}_worker{worker}.parquet");

    /// <summary>The worker's counters file (read by the controller for the live report).</summary>
    public static string CountersPath(string stageDir, int worker) => Path.Combine(stageDir, $"worker{worker}.counters.json");
}
