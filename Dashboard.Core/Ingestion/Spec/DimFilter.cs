using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Ingestion.Spec;

/// <summary>A Druid dimension filter (selector, in, bound, and, or, not), as transformSpec.filter takes it.</summary>
public abstract record DimFilter
{
    public static DimFilter Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject json)
        {
            throw SpecJson.Invalid($"{path} must be a filter object, got {SpecJson.Kind(node)}.");
        }

        var type = SpecJson.String(json, "type", path, required: true)!;
        return type switch
        {
            "selector" => new SelectorFilter(SpecJson.String(json, "dimension", path, required: true)!, Scalar(json["value"])),
            "equals" => new SelectorFilter(SpecJson.String(json, "column", path, required: true)!, Scalar(json["matchValue"])),
            "null" => new SelectorFilter(SpecJson.String(json, "column", path, required: true)!, null),
            "in" => new InFilter(SpecJson.String(json, "dimension", path, required: true)!,
                SpecJson.Array(json, "values", path).Select(Scalar).ToList()),
            "bound" => new BoundFilter(SpecJson.String(json, "dimension", path, required: true)!, Scalar(json["lower"]), Scalar(json["upper"]),
                SpecJson.Bool(json, "lowerStrict", path, false), SpecJson.Bool(json, "upperStrict", path, false),
                (SpecJson.String(json, "ordering", path) ?? "lexicographic").ToLowerInvariant() is "numeric" ? "numeric" : "lexicographic"),
            "and" => new AndFilter(Fields(json, path)),
            "or" => new OrFilter(Fields(json, path)),
            "not" => new NotFilter(Parse(json["field"], $"{path}.field")),
            "true" => new AndFilter([]),
            _ => throw SpecJson.Invalid($"{path}.type [{type}] is not supported; use selector, in, bound, and, or or not."),
        };
    }

    private static List<DimFilter> Fields(JsonObject json, string path) =>
        SpecJson.Array(json, "fields", path).Select((f, i) => Parse(f, $"{path}.fields[{i}]")).ToList();

    private static string? Scalar(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        JsonValue v => v.ToJsonString(),
        _ => node.ToJsonString(),
    };
}

public sealed record SelectorFilter(string Dimension, string? Value) : DimFilter;

public sealed record InFilter(string Dimension, IReadOnlyList<string?> Values) : DimFilter;

public sealed record BoundFilter(string Dimension, string? Lower, string? Upper, bool LowerStrict, bool UpperStrict, string Ordering) : DimFilter;

public sealed record AndFilter(IReadOnlyList<DimFilter> Fields) : DimFilter;

public sealed record OrFilter(IReadOnlyList<DimFilter> Fields) : DimFilter;

public sealed record NotFilter(DimFilter Field) : DimFilter;
