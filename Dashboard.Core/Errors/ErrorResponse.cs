using System.Text.Json.Serialization;

namespace Dashboard.Core.Errors;

/// <summary>A DruidException on the wire, keys in Druid's order (druid-behaviour.md §0.3).</summary>
public sealed record ErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("errorCode")] string ErrorCode,
    [property: JsonPropertyName("persona")] string Persona,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("errorMessage")] string ErrorMessage,
    [property: JsonPropertyName("context")] IReadOnlyDictionary<string, string> Context);
