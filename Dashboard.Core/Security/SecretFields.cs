using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Security;

/// <summary>
/// Finds the secrets that task specs carry (fields named like a password, secret or key, in plain and PasswordProvider
/// form; the password of <c>scheme://user:password@host</c> URIs; such fields written as JSON into text, as an EXTERN
/// input source inside a SQL statement) and rewrites each one: <see cref="SecretMasker"/> hides them,
/// <see cref="TaskPayloadSecrets"/> encrypts them. Both see exactly the same secrets.
/// </summary>
public static partial class SecretFields
{
    /// <summary>Rewrites every secret in <paramref name="json"/> (a tree the caller owns) with <paramref name="rewrite"/>.</summary>
    public static JsonObject RewriteInPlace(JsonObject json, Func<string, string> rewrite)
    {
        RewriteNode(json, rewrite);
        return json;
    }

    /// <summary>Rewrites the URI passwords and the secret JSON fields written into <paramref name="text"/>.</summary>
    public static string RewriteText(string text, Func<string, string> rewrite)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var rewritten = UriPassword().Replace(text, m => $"{m.Groups["head"].Value}{rewrite(m.Groups["password"].Value)}@");
        return RewriteEmbeddedFields(rewritten, rewrite);
    }

    /// <summary>Whether a field of this name holds a secret (the names Druid's input sources and PasswordProviders use).</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    // A flat object under a field that is not secret may hold one that is, so it is rewritten in turn.
    private static string RewriteEmbeddedFields(string text, Func<string, string> rewrite) => EmbeddedField().Replace(text, m =>
        SecretName().IsMatch(m.Groups["name"].Value) && m.Groups["value"].Value.StartsWith('"')
            ? $"{m.Groups["key"].Value}\"{rewrite(m.Groups["value"].Value[1..^1])}\""
        : SecretName().IsMatch(m.Groups["name"].Value) ? m.Groups["key"].Value + RewriteEmbeddedObject(m.Groups["value"].Value, rewrite)
        : m.Groups["value"].Value.StartsWith('{') ? m.Groups["key"].Value + RewriteEmbeddedFields(m.Groups["value"].Value, rewrite)
        : m.Value);

    // A PasswordProvider written into text: every string value but its type and environment variable's name.
    private static string RewriteEmbeddedObject(string provider, Func<string, string> rewrite) => EmbeddedField().Replace(provider, m =>
        m.Groups["name"].Value is "type" or "variable" || !m.Groups["value"].Value.StartsWith('"')
            ? m.Value
            : $"{m.Groups["key"].Value}\"{rewrite(m.Groups["value"].Value[1..^1])}\"");

    private static void RewriteNode(JsonNode? node, Func<string, string> rewrite)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (SecretName().IsMatch(name))
                    {
                        obj[name] = RewriteSecretValue(obj[name], rewrite);
                    }
                    else if (obj[name] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        obj[name] = RewriteText(text, rewrite);
                    }
                    else
                    {
                        RewriteNode(obj[name], rewrite);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.TryGetValue<string>(out var text))
                    {
                        array[i] = RewriteText(text, rewrite);
                    }
                    else
                    {
                        RewriteNode(array[i], rewrite);
                    }
                }

                break;
        }
    }

    // A PasswordProvider object keeps its type and, for the environment provider, the variable's name (not a secret).
    private static JsonNode? RewriteSecretValue(JsonNode? value, Func<string, string> rewrite)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonObject provider:
                var rewritten = new JsonObject();
                foreach (var (key, child) in provider)
                {
                    rewritten[key] = key is "type" or "variable" ? child?.DeepClone() : RewriteSecretValue(child, rewrite);
                }

                return rewritten;
            case JsonValue text when text.TryGetValue<string>(out var secret):
                return JsonValue.Create(rewrite(secret));
            default:
                return JsonValue.Create(rewrite(value.ToJsonString()));
        }
    }

    [GeneratedRegex(@"^(.*password|.*secret|secretAccessKey|sessionToken|.*apiKey|.*privateKey|accessKey|token)$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@""']+:)(?<password>[^\s@/""']+)@")]
    private static partial Regex UriPassword();

    // A JSON field written into text (a SQL statement's EXTERN, an error quoting a spec): "name": "value" or "name": {...}.
    [GeneratedRegex(@"(?<key>""(?<name>[A-Za-z_]+)""\s*:\s*)(?<value>""(?:[^""\\]|\\.)*""|\{[^{}]*\})")]
    private static partial Regex EmbeddedField();
}
