using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Ingestion.Spec;

/// <summary>
/// Typed reads from an ingestion spec. Every error is a 400 that names the field by its path in the spec
/// (e.g. <c>spec.dataSchema.timestampSpec.column</c>) and says what was expected.
/// </summary>
internal static class SpecJson
{
    public static DruidException Invalid(string message) => DruidException.ErrorMap(400, message);

    public static JsonObject Object(JsonObject parent, string name, string path, bool required = false)
    {
        return parent[name] switch
        {
            JsonObject o => o,
            null when !required => [],
            null => throw Invalid($"{path}.{name} is required."),
            var other => throw Invalid($"{path}.{name} must be an object, got {Kind(other)}."),
        };
    }

    public static string? String(JsonObject parent, string name, string path, bool required = false)
    {
        return parent[name] switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            null when !required => null,
            null => throw Invalid($"{path}.{name} is required."),
            var other => throw Invalid($"{path}.{name} must be a string, got {Kind(other)}."),
        };
    }

    public static bool Bool(JsonObject parent, string name, string path, bool fallback)
    {
        return parent[name] switch
        {
            null => fallback,
            JsonValue v when v.GetValueKind() == JsonValueKind.True => true,
            JsonValue v when v.GetValueKind() == JsonValueKind.False => false,
            JsonValue v when v.GetValueKind() == JsonValueKind.String && bool.TryParse(v.GetValue<string>(), out var b) => b,
            var other => throw Invalid($"{path}.{name} must be true or false, got {other.ToJsonString()}."),
        };
    }

    public static long Long(JsonObject parent, string name, string path, long fallback, long min = long.MinValue, long max = long.MaxValue)
    {
        var node = parent[name];
        var value = node is null ? fallback
            : Common.JsonNumbers.TryGetInt64(node, out var parsed) ? parsed
            : throw Invalid($"{path}.{name} must be a whole number, got {node.ToJsonString()}.");
        return value < min ? throw Invalid($"{path}.{name} must be at least {min}, got {value}.")
            : value > max ? throw Invalid($"{path}.{name} must be at most {max:N0} (Druid reads it as a 32-bit integer), got {value:N0}.")
            : value;
    }

    public static JsonArray Array(JsonObject parent, string name, string path)
    {
        return parent[name] switch
        {
            JsonArray a => a,
            null => [],
            var other => throw Invalid($"{path}.{name} must be an array, got {Kind(other)}."),
        };
    }

    public static List<string> Strings(JsonObject parent, string name, string path) =>
        Array(parent, name, path).Select((n, i) => n is JsonValue v && v.GetValueKind() == JsonValueKind.String
            ? v.GetValue<string>()
            : throw Invalid($"{path}.{name}[{i}] must be a string, got {Kind(n)}.")).ToList();

    public static string Kind(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "an array",
        JsonValue v => $"{v.GetValueKind().ToString().ToLowerInvariant()} {v.ToJsonString()}",
        _ => "a value",
    };
}
