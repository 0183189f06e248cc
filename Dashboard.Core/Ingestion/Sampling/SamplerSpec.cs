using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Spec;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>
/// A request to Druid's sampler (<c>POST /druid/indexer/v1/sampler</c>):
/// <c>{"type":"index_parallel","spec":{"ioConfig":{"inputSource","inputFormat"},"dataSchema":{"timestampSpec"}},"samplerConfig":{"numRows","timeoutMs"}}</c>.
/// The input format may be left out: the sampler then detects it (an addition to Druid).
/// </summary>
public sealed record SamplerSpec(JsonObject InputSource, JsonObject? InputFormat, TimestampSpec? TimestampSpec, int NumRows, int TimeoutMs)
{
    public const int DefaultNumRows = 200;
    public const int MaxNumRows = 5000;
    public const int DefaultTimeoutMs = 10_000;
    public const int MaxTimeoutMs = 60_000;

    public static SamplerSpec Parse(JsonNode? body)
    {
        if (body is not JsonObject request)
        {
            throw SpecJson.Invalid("The sampler needs a JSON object: {\"type\":\"index_parallel\",\"spec\":{\"ioConfig\":{\"inputSource\":{...}}}}.");
        }

        var type = SpecJson.String(request, "type", "sampler") ?? "index_parallel";
        if (type is not ("index_parallel" or "index"))
        {
            throw SpecJson.Invalid($"Please make sure to load all the necessary extensions and jars with type '{type}'. The sampler here reads index_parallel and index specs.");
        }

        var spec = SpecJson.Object(request, "spec", "sampler", required: true);
        var ioConfig = SpecJson.Object(spec, "ioConfig", "spec", required: true);
        var inputSource = SpecJson.Object(ioConfig, "inputSource", "spec.ioConfig", required: true);
        InputSourceSpec.Parse(inputSource, "spec.ioConfig.inputSource");
        var inputFormat = ioConfig["inputFormat"] as JsonObject;
        if (inputFormat is not null)
        {
            InputFormatSpec.Parse(inputFormat, "spec.ioConfig.inputFormat");
        }

        var dataSchema = SpecJson.Object(spec, "dataSchema", "spec");
        var timestamp = dataSchema["timestampSpec"] is JsonObject t ? TimestampSpec.Parse(t, "spec.dataSchema.timestampSpec") : null;

        var config = SpecJson.Object(request, "samplerConfig", "sampler");
        var numRows = SpecJson.Long(config, "numRows", "samplerConfig", DefaultNumRows, min: 1);
        var timeoutMs = SpecJson.Long(config, "timeoutMs", "samplerConfig", DefaultTimeoutMs, min: 1);
        return new SamplerSpec(inputSource, inputFormat, timestamp, (int)Math.Min(numRows, MaxNumRows), (int)Math.Min(timeoutMs, MaxTimeoutMs));
    }

    /// <summary>The request body for these settings, as the dashboard sends it (and Druid reads it).</summary>
    public static JsonObject Request(JsonObject inputSource, JsonObject? inputFormat, int numRows = DefaultNumRows, string? timestampColumn = null)
    {
        var ioConfig = new JsonObject { ["type"] = "index_parallel", ["inputSource"] = inputSource.DeepClone() };
        if (inputFormat is not null)
        {
            ioConfig["inputFormat"] = inputFormat.DeepClone();
        }

        var dataSchema = new JsonObject { ["dataSource"] = "sample" };
        if (timestampColumn is not null)
        {
            dataSchema["timestampSpec"] = new JsonObject { ["column"] = timestampColumn, ["format"] = "auto" };
        }

        return new JsonObject
        {
            ["type"] = "index_parallel",
            ["spec"] = new JsonObject { ["ioConfig"] = ioConfig, ["dataSchema"] = dataSchema },
            ["samplerConfig"] = new JsonObject { ["numRows"] = numRows, ["timeoutMs"] = DefaultTimeoutMs },
        };
    }
}
