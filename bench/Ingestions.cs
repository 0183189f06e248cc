using System.Text.Json.Nodes;

namespace Dashboard.Bench;

/// <summary>The ingestions the benchmarks and campaigns submit: one native spec and one SQL source of wiki-like edits.</summary>
public static class Ingestions
{
    /// <summary>Druid's wikiticker sample in the team's shared folder (39,244 rows), read in place.</summary>
    public static string Wikiticker => Path.Combine(ServerProcess.SharedDir(), "data", "wikiticker-2015-09-12-sampled.json.gz");

    public const long WikitickerRows = 39_244;

    /// <summary>An <c>index_parallel</c> task of a JSON file: schema discovery, DAY segments, no rollup, overwriting its chunks.</summary>
    public static JsonObject IndexParallel(string dataSource, string file, long maxRowsInMemory = 1_000_000) =>
        IndexParallel(dataSource, [file], "json", "iso", maxRowsInMemory);

    public static JsonObject IndexParallel(string dataSource, IReadOnlyList<string> files, string inputFormat, string timestampFormat, long maxRowsInMemory) => new()
    {
        ["type"] = "index_parallel",
        ["spec"] = new JsonObject
        {
            ["dataSchema"] = new JsonObject
            {
                ["dataSource"] = dataSource,
                ["timestampSpec"] = new JsonObject { ["column"] = "time", ["format"] = timestampFormat },
                ["dimensionsSpec"] = new JsonObject { ["useSchemaDiscovery"] = true },
                ["granularitySpec"] = new JsonObject { ["segmentGranularity"] = "day", ["queryGranularity"] = "none", ["rollup"] = false },
            },
            ["ioConfig"] = new JsonObject
            {
                ["type"] = "index_parallel",
                ["inputSource"] = new JsonObject { ["type"] = "local", ["files"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray()) },
                ["inputFormat"] = new JsonObject { ["type"] = inputFormat },
            },
            ["tuningConfig"] = new JsonObject { ["type"] = "index_parallel", ["maxRowsInMemory"] = maxRowsInMemory },
        },
    };

    /// <summary>The SELECT list and FROM of an SQL ingestion of a wiki-edits JSON file (EXTERN with EXTEND).</summary>
    public static string WikiSelect(string file) =>
        $$"""SELECT TIME_PARSE("time") AS __time, channel, page, "user", added, deleted, delta FROM TABLE(EXTERN('{"type":"local","files":["{{file}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR, channel VARCHAR, page VARCHAR, "user" VARCHAR, added BIGINT, deleted BIGINT, delta BIGINT)""";
}
