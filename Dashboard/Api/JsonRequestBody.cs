using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Errors;

namespace Dashboard.Api;

/// <summary>
/// The one reader of JSON request bodies (task specs, SQL, sampler, taskStatus, users): 415 for another media type,
/// 400 naming the key for a duplicate key, 500 for broken JSON, as Druid's endpoints answer them. The body is read and
/// parsed once per request: authorization and the endpoint get the same node (or the same error).
/// </summary>
public static class JsonRequestBody
{
    private static readonly object ItemKey = new();

    private static readonly JsonDocumentOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        AllowDuplicateProperties = false,
    };

    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var items = request.HttpContext.Items;
        if (!items.TryGetValue(ItemKey, out var read))
        {
            try
            {
                read = await ParseAsync(request, cancellationToken);
            }
            catch (DruidException ex)
            {
                read = ExceptionDispatchInfo.Capture(ex);
            }

            items[ItemKey] = read;
        }

        if (read is ExceptionDispatchInfo error)
        {
            error.Throw();
        }

        return (JsonNode?)read;
    }

    /// <summary>The body for authorization: null when it is absent, not JSON or refused (the endpoint answers that error).</summary>
    public static async Task<JsonNode?> TryReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return request.HasJsonContentType() ? await ReadAsync(request, cancellationToken) : null;
        }
        catch (DruidException)
        {
            return null;
        }
    }

    /// <summary>Parses JSON text as a request body is parsed; a duplicate key is a 400 that names it.</summary>
    public static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: Options);
        }
        catch (JsonException ex) when (DuplicateKey(ex) is { } key)
        {
            throw DruidException.ErrorMap(StatusCodes.Status400BadRequest,
                $"Duplicate field '{key}' in the request body{Where(ex)}: a JSON object may name each field once. Remove one of them.");
        }
        catch (JsonException ex)
        {
            throw DruidException.ErrorMap(StatusCodes.Status500InternalServerError, $"The request body is not valid JSON: {ex.Message}");
        }
    }

    private static async Task<JsonNode?> ParseAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            var given = string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType;
            throw DruidException.ErrorMap(StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported Content-Type [{given}]: send the body as JSON with the header 'Content-Type: application/json'.");
        }

        using var reader = new StreamReader(request.Body);
        return Parse(await reader.ReadToEndAsync(cancellationToken));
    }

    private static string? DuplicateKey(JsonException ex)
    {
        const string marker = "Duplicate property '";
        var message = ex.Message;
        var start = message.IndexOf(marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += marker.Length;
        var end = message.IndexOf('\'', start);
        return end > start ? message[start..end] : null;
    }

    private static string Where(JsonException ex) =>
        ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
}
