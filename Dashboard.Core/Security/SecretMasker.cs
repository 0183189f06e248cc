using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Security;

/// <summary>
/// Hides secrets that task specs carry (an http input source's <c>httpAuthenticationPassword</c>, credentials in a URI,
/// keys of cloud input sources) before a payload, report or log line leaves the overlord. The task itself still reads
/// the stored spec in clear: it needs the password to fetch its input.
/// </summary>
public static partial class SecretMasker
{
    public const string Mask = "<masked>";

    /// <summary>A copy of <paramref name="json"/> with every secret replaced by <see cref="Mask"/>.</summary>
    public static JsonObject MaskJson(JsonObject json) => MaskInPlace(json.DeepClone().AsObject());

    /// <summary>Replaces every secret in <paramref name="json"/> (a copy the caller owns) and returns it.</summary>
    public static JsonObject MaskInPlace(JsonObject json)
    {
        MaskNode(json);
        return json;
    }

    /// <summary>
    /// Masks secrets inside free text: the password of <c>scheme://user:password@host</c> URIs, and secret fields of JSON
    /// written into the text (the EXTERN input source of a SQL query, an error message quoting a spec).
    /// </summary>
    public static string MaskText(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var masked = UriPassword().Replace(text, m => $"{m.Groups["head"].Value}{Mask}@");
        return MaskEmbeddedFields(masked);
    }

    // A flat object under a field that is not secret may hold one that is, so it is masked in turn.
    private static string MaskEmbeddedFields(string text) => EmbeddedField().Replace(text, m =>
        SecretName().IsMatch(m.Groups["name"].Value) ? $"{m.Groups["key"].Value}\"{Mask}\""
        : m.Groups["value"].Value.StartsWith('{') ? m.Groups["key"].Value + MaskEmbeddedFields(m.Groups["value"].Value)
        : m.Value);

    private static void MaskNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (SecretName().IsMatch(name))
                    {
                        obj[name] = MaskSecretValue(obj[name]);
                    }
                    else if (obj[name] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[name] = MaskText(text);
                    }
                    else
                    {
                        MaskNode(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = MaskText(text);
                    }
                    else
                    {
                        MaskNode(array[i]);
                    }
                }

                break;
        }
    }

    // A PasswordProvider object keeps its type and, for the environment provider, the variable's name (not a secret).
    private static JsonNode? MaskSecretValue(JsonNode? value)
    {
        if (value is not JsonObject provider)
        {
            return value is null ? null : JsonValue.Create(Mask);
        }

        var masked = new JsonObject();
        foreach (var (key, child) in provider)
        {
            masked[key] = key is "type" or "variable" ? child?.DeepClone() : JsonValue.Create(Mask);
        }

        return masked;
    }

    // The names Druid's input sources and PasswordProviders use for secrets.
    [GeneratedRegex(@"^(.*password|.*secret|secretAccessKey|sessionToken|.*apiKey|.*privateKey|accessKey|token)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@""']+:)[^\s@/""']+@")]
    private static partial Regex UriPassword();

    // A JSON field written into text (a SQL statement's EXTERN, an error quoting a spec): "name": "value" or "name": {...}.
    [GeneratedRegex(@"(?<key>""(?<name>[A-Za-z_]+)""\s*:\s*)(?<value>""(?:[^""\\]|\\.)*""|\{[^{}]*\})")]
    private static partial Regex EmbeddedField();
}
