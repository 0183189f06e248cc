using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;

namespace Dashboard.Tests.Security.Fuzz;

/// <summary>Task specs for the fuzz properties: Druid's docs samples with random parts replaced, removed or renamed.</summary>
public static class SpecInputs
{
    public static readonly string[] Seeds =
    [
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Api", "Samples", "docs-index-parallel.json")),
        """
        {"type":"index_parallel","id":"my_task","spec":{"dataSchema":{"dataSource":"ds","timestampSpec":{"column":"ts","format":"millis"},
         "dimensionsSpec":{"dimensions":["a",{"type":"long","name":"b"}]},"metricsSpec":[{"type":"count","name":"count"},{"type":"longSum","name":"s","fieldName":"b"}],
         "granularitySpec":{"segmentGranularity":"hour","queryGranularity":"minute","rollup":true},
         "transformSpec":{"transforms":[{"type":"expression","name":"c","expression":"concat(a, 'x')"}],"filter":{"type":"and","fields":[{"type":"selector","dimension":"a","value":"x"},{"type":"not","field":{"type":"in","dimension":"a","values":["y"]}}]}}},
         "ioConfig":{"type":"index_parallel","inputSource":{"type":"inline","data":"{\"ts\":1,\"a\":\"x\",\"b\":2}"},"inputFormat":{"type":"csv","columns":["ts","a","b"]}},
         "tuningConfig":{"type":"index_parallel","maxNumConcurrentSubTasks":2,"partitionsSpec":{"type":"dynamic","maxRowsPerSegment":100}}},
         "context":{"priority":10}}
        """,
        """{"type":"noop","runTime":1,"dataSource":"wikipedia","interval":"2015-09-12/2015-09-13","context":{"priority":"5"}}""",
    ];

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        ArbMap.Default.GeneratorFor<string>().Select(s => (JsonNode?)JsonValue.Create(s ?? "")),
        Gen.Elements("", "/etc/passwd", "../../x", "2015-09-12/2015-09-13", "P1D", "day", "all", "none", "iso", "millis", "auto", "json", "csv",
            "local", "http", "inline", "index_parallel", "noop", "\u0000", "ſ", "1e999", "-1", "9223372036854775808", "T", "x/y").Select(s => (JsonNode?)JsonValue.Create(s)),
        ArbMap.Default.GeneratorFor<long>().Select(l => (JsonNode?)JsonValue.Create(l)),
        ArbMap.Default.GeneratorFor<double>().Where(double.IsFinite).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.Elements(long.MaxValue, long.MinValue, 0L, -1L, int.MaxValue + 1L).Select(l => (JsonNode?)JsonValue.Create(l)),
        ArbMap.Default.GeneratorFor<bool>().Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Constant(0).Select(_ => (JsonNode?)new JsonArray()),
        Gen.Constant(0).Select(_ => (JsonNode?)new JsonObject()));

    private static readonly Gen<JsonNode?> Value = Gen.OneOf(Leaf, Leaf, Leaf,
        from depth in Gen.Choose(1, 120)
        from leaf in Leaf
        from array in ArbMap.Default.GeneratorFor<bool>()
        select Nest(leaf, depth, array));

    private sealed record Op(int Kind, int Target, JsonNode? Value, string Key);

    /// <summary>A seed spec with 1 to 5 of its nodes replaced, removed, renamed or given a new key.</summary>
    public static Arbitrary<JsonObject> MutatedSpec() => Arb.From(
        from seed in Gen.Elements(Seeds)
        from ops in Gen.Choose(1, 5).SelectMany(n => Gen.ArrayOf(
            from kind in Gen.Choose(0, 3)
            from target in Gen.Choose(0, 10_000)
            from value in Value
            from key in Gen.OneOf(Gen.Elements("type", "id", "dataSource", "spec", "intervals", "files", "baseDir", "filter", "context", "priority",
                "maxNumConcurrentSubTasks", "columns", "expression", "name", "fieldName", "format", "column"), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""))
            select new Op(kind, target, value, key), n))
        select Mutate(seed, ops));

    private static JsonObject Mutate(string seed, Op[] ops)
    {
        var root = JsonNode.Parse(seed)!.AsObject();
        foreach (var op in ops)
        {
            var nodes = Containers(root).ToList();
            var container = nodes[op.Target % nodes.Count];
            switch (container)
            {
                case JsonObject obj when op.Kind == 0 && obj.Count > 0:
                    obj[obj.ElementAt(op.Target % obj.Count).Key] = op.Value?.DeepClone();
                    break;
                case JsonObject obj when op.Kind == 1 && obj.Count > 0:
                    obj.Remove(obj.ElementAt(op.Target % obj.Count).Key);
                    break;
                case JsonObject obj when op.Kind == 2 && obj.Count > 0:
                    var (key, value) = obj.ElementAt(op.Target % obj.Count);
                    obj.Remove(key);
                    obj[op.Key] = value;
                    break;
                case JsonObject obj:
                    obj[op.Key] = op.Value?.DeepClone();
                    break;
                case JsonArray array when op.Kind < 2 && array.Count > 0:
                    array[op.Target % array.Count] = op.Value?.DeepClone();
                    break;
                case JsonArray array:
                    array.Add(op.Value?.DeepClone());
                    break;
            }
        }

        return root;
    }

    private static IEnumerable<JsonNode> Containers(JsonNode node)
    {
        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is JsonObject or JsonArray)
            {
                foreach (var inner in Containers(child))
                {
                    yield return inner;
                }
            }
        }
    }

    private static JsonNode? Nest(JsonNode? leaf, int depth, bool array)
    {
        var node = leaf?.DeepClone();
        for (var i = 0; i < depth; i++)
        {
            node = array ? new JsonArray(node) : new JsonObject { ["type"] = node };
        }

        return node;
    }
}
