using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Security;

/// <summary>
/// The secrets of a task payload at rest: <see cref="Protect"/> replaces each one <see cref="SecretFields"/> finds with
/// <c>ENC(token)</c> before the payload is written to the metadata store; <see cref="Unprotect"/> gives the clear payload
/// back, for a task rebuilt from its stored payload. Read paths mask the stored form as they mask any payload.
/// </summary>
public sealed partial class TaskPayloadSecrets(ISecretProtector protector)
{
    public const string Prefix = "ENC(";

    /// <summary>A copy of <paramref name="payload"/> with every secret encrypted.</summary>
    public JsonObject Protect(JsonObject payload) =>
        SecretFields.RewriteInPlace(payload.DeepClone().AsObject(), secret => $"{Prefix}{protector.Protect(secret)})");

    /// <summary>
    /// A copy of a stored payload with every <c>ENC(token)</c> decrypted. A token these keys cannot read (the key ring
    /// was lost or changed) stays as it is, so the task fails on a wrong password rather than on reading its spec.
    /// </summary>
    public JsonObject Unprotect(JsonObject stored)
    {
        var copy = stored.DeepClone().AsObject();
        UnprotectNode(copy);
        return copy;
    }

    private void UnprotectNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var name in obj.Select(p => p.Key).ToList())
                {
                    if (Unprotected(obj[name]) is { } clear)
                    {
                        obj[name] = clear;
                    }
                    else
                    {
                        UnprotectNode(obj[name]);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (Unprotected(array[i]) is { } clear)
                    {
                        array[i] = clear;
                    }
                    else
                    {
                        UnprotectNode(array[i]);
                    }
                }

                break;
        }
    }

    private JsonValue? Unprotected(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Contains(Prefix, StringComparison.Ordinal)
            ? JsonValue.Create(Protected().Replace(text, m => TryUnprotect(m.Groups["token"].Value) ?? m.Value))
            : null;

    private string? TryUnprotect(string token)
    {
        try
        {
            return protector.Unprotect(token);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"ENC\((?<token>[A-Za-z0-9_-]+)\)")]
    private static partial Regex Protected();
}
