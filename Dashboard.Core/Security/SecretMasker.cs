using System.Text.Json.Nodes;

namespace Dashboard.Core.Security;

/// <summary>
/// Hides secrets that task specs carry (an http input source's <c>httpAuthenticationPassword</c>, credentials in a URI,
/// keys of cloud input sources; <see cref="SecretFields"/> finds them). The overlord masks once, where a report, status
/// or log line leaves a task (its toolbox and queue), and where the cluster client hands a Druid cluster's answers on.
/// The task itself still reads its spec in clear: it needs the password to fetch its input.
/// </summary>
public static class SecretMasker
{
    public const string Mask = "<masked>";

    private static readonly Func<string, string> ToMask = _ => Mask;

    /// <summary>A copy of <paramref name="json"/> with every secret replaced by <see cref="Mask"/>.</summary>
    public static JsonObject MaskJson(JsonObject json) => MaskInPlace(json.DeepClone().AsObject());

    /// <summary>Replaces every secret in <paramref name="json"/> (a copy the caller owns) and returns it.</summary>
    public static JsonObject MaskInPlace(JsonObject json) => SecretFields.RewriteInPlace(json, ToMask);

    /// <summary>
    /// Masks secrets inside free text: the password of <c>scheme://user:password@host</c> URIs, and secret fields of JSON
    /// written into the text (the EXTERN input source of a SQL query, an error message quoting a spec).
    /// </summary>
    public static string MaskText(string text) => SecretFields.RewriteText(text, ToMask);
}
