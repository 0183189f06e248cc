using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Cluster;

/// <summary>
/// Reads Druid's error answers back into <see cref="DruidException"/>s with the same status, body shape and message,
/// so that what the dashboard shows (and what <c>DruidResults.Error</c> would write again) is what Druid sent.
/// </summary>
public static class DruidErrors
{
    public const string UnreachableCode = "clusterUnreachable";

    public static DruidException FromResponse(int statusCode, string? mediaType, string body)
    {
        if (body.Length == 0)
        {
            return new DruidException(statusCode, ErrorBodyShape.Empty,
                $"Druid answered {statusCode} {ReasonPhrase(statusCode)} with no body.");
        }

        if (mediaType is null || !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase))
        {
            return new DruidException(statusCode, ErrorBodyShape.PlainText, body);
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return new DruidException(statusCode, ErrorBodyShape.PlainTextLabelledJson, body);
        }

        // SqlTaskStatus of a failed SQL submission: {"taskId", "state": "FAILED", "error": ErrorResponse}.
        if (node is JsonObject sql && sql["error"] is JsonObject inner && inner.ContainsKey("errorCode"))
        {
            node = inner;
        }

        if (node is JsonObject obj && obj["error"] is JsonValue error && error.GetValueKind() == JsonValueKind.String)
        {
            if (obj.ContainsKey("errorCode") && obj["errorMessage"] is JsonValue message)
            {
                var context = obj["context"] is JsonObject ctx
                    ? ctx.ToDictionary(p => p.Key, p => p.Value is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : p.Value?.ToJsonString() ?? "")
                    : new Dictionary<string, string>();
                return new DruidException(statusCode, ErrorBodyShape.ErrorResponse, message.ToString(),
                    Text(obj["errorCode"]) ?? "general", Text(obj["category"]) ?? "UNCATEGORIZED", Text(obj["persona"]) ?? "USER", context);
            }

            if (obj.Count == 1)
            {
                return new DruidException(statusCode, ErrorBodyShape.ErrorMap, error.GetValue<string>());
            }
        }

        return new DruidException(statusCode, ErrorBodyShape.PlainTextLabelledJson, body);
    }

    /// <summary>The cluster could not be reached at all (connection, timeout, open circuit): 503 naming the host.</summary>
    public static DruidException Unreachable(string host, Exception cause) =>
        new(503, ErrorBodyShape.ErrorMap, $"Cannot reach the Druid cluster at {host}: {Describe(cause)}", UnreachableCode);

    public static bool IsUnreachable(DruidException exception) => exception.ErrorCode == UnreachableCode;

    private static string Describe(Exception cause) => cause switch
    {
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "connection refused or closed",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "host name not found",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "TLS handshake failed",
        TimeoutException or TaskCanceledException => "no answer in time",
        _ when cause.GetType().Name == "BrokenCircuitException" => "too many failures, waiting before the next attempt",
        _ => cause.Message,
    };

    private static string? Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string ReasonPhrase(int statusCode) =>
        Enum.IsDefined(typeof(HttpStatusCode), statusCode) ? ((HttpStatusCode)statusCode).ToString() : "";
}
