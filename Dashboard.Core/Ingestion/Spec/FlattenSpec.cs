using System.Text.Json.Nodes;

namespace Dashboard.Core.Ingestion.Spec;

/// <summary>One field of Druid's <c>flattenSpec</c>: <c>root</c> (a top-level column), <c>path</c> (a JSONPath) or <c>jq</c> (a jq path).</summary>
public sealed record FlattenField(string Type, string Name, string Expr);

/// <summary>
/// Druid's <c>flattenSpec</c>: the fields to read from nested data, by name, and whether the top-level primitive columns
/// are discovered as fields too (<c>useFieldDiscovery</c>, default true).
/// </summary>
public sealed record FlattenSpec(bool UseFieldDiscovery, IReadOnlyList<FlattenField> Fields)
{
    public static readonly FlattenSpec Default = new(true, []);

    public static FlattenSpec Parse(JsonObject json, string path)
    {
        var fields = new List<FlattenField>();
        var array = SpecJson.Array(json, "fields", path);
        for (var i = 0; i < array.Count; i++)
        {
            var at = $"{path}.fields[{i}]";
            var field = array[i] as JsonObject ?? throw SpecJson.Invalid($"{at} must be an object such as {{\"type\":\"path\",\"name\":\"x\",\"expr\":\"$.a.b\"}}.");
            var type = SpecJson.String(field, "type", at, required: true)!;
            var name = SpecJson.String(field, "name", at, required: true)!;
            var expr = SpecJson.String(field, "expr", at);
            if (type is not ("root" or "path" or "jq"))
            {
                throw SpecJson.Invalid($"{at}.type [{type}] is not supported; use root, path or jq.");
            }

            if (type != "root" && string.IsNullOrWhiteSpace(expr))
            {
                throw SpecJson.Invalid($"{at} ({name}) is a {type} field and needs an expr, e.g. \"$.a.b\".");
            }

            if (fields.Any(f => f.Name == name))
            {
                throw SpecJson.Invalid($"{at}: the field name [{name}] appears twice in flattenSpec.fields; names must be unique.");
            }

            var parsed = new FlattenField(type, name, expr ?? name);
            Engine.FlattenPath.ToSql(parsed); // a path this server cannot read is a 400 at submission, not a failed task
            fields.Add(parsed);
        }

        return new FlattenSpec(SpecJson.Bool(json, "useFieldDiscovery", path, true), fields);
    }
}
