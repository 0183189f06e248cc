using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Tasks;

/// <summary>
/// A submitted task's JSON with typed getters. A field of the wrong type is a 400 naming the field and the task type,
/// as Druid's JSON mapper reports it.
/// </summary>
public sealed class TaskSpec(string type, JsonObject json, DateTimeOffset submittedAt)
{
    public string Type { get; } = type;
    public JsonObject Json { get; } = json;

    /// <summary>When the overlord received the spec; generated ids carry this time.</summary>
    public DateTimeOffset SubmittedAt { get; } = submittedAt;

    public JsonObject Context => Json["context"] as JsonObject ?? [];

    public string? GetString(string name)
    {
        var node = Json[name];
        return node switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            JsonValue v when v.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.ToJsonString(),
            _ => throw WrongType(name, "String", node),
        };
    }

    public long? GetLong(string name)
    {
        var node = Json[name];
        return node is null ? null : JsonNumbers.TryGetInt64(node, out var value) ? value : throw WrongType(name, "long", node);
    }

    public Interval? GetInterval(string name)
    {
        var text = GetString(name);
        if (text is null)
        {
            return null;
        }

        return Interval.TryParse(text, out var interval, out var outOfRange)
            ? interval
            : outOfRange ? throw Invalid(Interval.OutOfRangeMessage(name, text))
            : throw Invalid($"Cannot construct instance of `Interval` from [{text}] for property [{name}] of task type [{Type}]: expected an ISO-8601 interval such as 2015-09-12/2015-09-13");
    }

    /// <summary>The context value as an int (context values may arrive as numbers or strings).</summary>
    public int? GetContextInt(string key)
    {
        var node = Context[key];
        return node is null ? null
            : JsonNumbers.TryGetInt64(node, out var value) && value is >= int.MinValue and <= int.MaxValue ? (int)value
            : throw Invalid($"Context key [{key}] must be an integer, got [{node.ToJsonString()}]");
    }

    public DruidException WrongType(string name, string expected, JsonNode? node) =>
        Invalid($"Cannot deserialize value of type `{expected}` from {Describe(node)} for property [{name}] of task type [{Type}]");

    public static DruidException Invalid(string message) => DruidException.ErrorMap(400, message);

    private static string Describe(JsonNode? node) => node switch
    {
        JsonArray => "Array value",
        JsonObject => "Object value",
        JsonValue v => $"{v.GetValueKind()} value {v.ToJsonString()}",
        _ => "null",
    };
}
