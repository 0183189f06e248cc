using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Errors;

namespace Dashboard.Api;

/// <summary>Reads a JSON request body the way Druid's endpoints accept it: 415 for another media type, 500 for broken JSON.</summary>
public static class JsonRequestBody
{
    public static async Task<JsonNode?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType())
        {
            var given = string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType;
            throw DruidException.ErrorMap(StatusCodes.Status415UnsupportedMediaType,
                $"Unsupported Content-Type [{given}]: send the body as JSON with the header 'Content-Type: application/json'.");
        }

        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw DruidException.ErrorMap(StatusCodes.Status500InternalServerError,
                $"The request body is not valid JSON: {ex.Message}");
        }
    }
}
