using System.Text.Json.Nodes;
using Dashboard.Core.Security;
using Dashboard.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Dashboard.Tests.Security;

/// <summary>Every secret the masker knows is encrypted in a stored payload, and only the same key ring reads it back.</summary>
public sealed class TaskPayloadSecretsTests : IDisposable
{
    private const string Spec = """
        {"type":"index_parallel","spec":{"ioConfig":{"inputSource":{"type":"http",
          "uris":["http://bob:uri-secret@example.com/a.json","https://example.com/b.json"],
          "httpAuthenticationUsername":"bob","httpAuthenticationPassword":"plain-secret"},
         "other":{"httpAuthenticationPassword":{"type":"default","password":"provider-secret"}},
         "env":{"httpAuthenticationPassword":{"type":"environment","variable":"HTTP_PASSWORD"}}}},
         "sqlQuery":"INSERT INTO x SELECT * FROM TABLE(EXTERN('{\"type\":\"http\",\"uris\":[\"https://h/x.json\"],\"httpAuthenticationPassword\":\"sql-secret\"}', '{\"type\":\"json\"}'))"}
        """;

    private static readonly string[] Secrets = ["uri-secret", "plain-secret", "provider-secret", "sql-secret"];
    private readonly EphemeralSecretProtector _keys = new();
    private readonly EphemeralSecretProtector _otherKeys = new();

    public void Dispose()
    {
        _keys.Dispose();
        _otherKeys.Dispose();
    }

    [Fact]
    public void Protect_EveryKindOfSecret_IsEncrypted_AndUnprotectGivesTheSubmittedPayloadBack()
    {
        var payload = JsonNode.Parse(Spec)!.AsObject();
        var secrets = new TaskPayloadSecrets(_keys);

        var stored = secrets.Protect(payload).ToJsonString();

        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, stored));
        Assert.Contains("HTTP_PASSWORD", stored);
        Assert.Contains("\"httpAuthenticationUsername\":\"bob\"", stored);
        Assert.Contains("https://example.com/b.json", stored);
        Assert.Equal(payload.ToJsonString(), secrets.Unprotect(JsonNode.Parse(stored)!.AsObject()).ToJsonString());
    }

    [Fact]
    public void StoredPayload_ReadWithoutItsKeys_ShowsNoSecret_AndMasksAsBefore()
    {
        var stored = new TaskPayloadSecrets(_keys).Protect(JsonNode.Parse(Spec)!.AsObject());

        var unreadable = new TaskPayloadSecrets(_otherKeys).Unprotect(stored).ToJsonString();
        var shown = SecretMasker.MaskJson(stored).ToJsonString();

        Assert.All(Secrets, secret => Assert.DoesNotContain(secret, unreadable));
        Assert.Contains(TaskPayloadSecrets.Prefix, unreadable);
        Assert.Equal(SecretMasker.MaskJson(JsonNode.Parse(Spec)!.AsObject()).ToJsonString(), shown);
    }

    [Fact]
    public void DataProtectionProtector_RoundTrips_AndAnotherKeyRingCannotRead()
    {
        using var dir = new Support.TempDataDir();
        var ours = new DataProtectionSecretProtector(DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(dir.Path, "a"))));
        var theirs = new DataProtectionSecretProtector(DataProtectionProvider.Create(new DirectoryInfo(Path.Combine(dir.Path, "b"))));

        var token = ours.Protect("plain-secret");

        Assert.Matches("^[A-Za-z0-9_-]+$", token);
        Assert.Equal("plain-secret", ours.Unprotect(token));
        Assert.ThrowsAny<System.Security.Cryptography.CryptographicException>(() => theirs.Unprotect(token));
    }
}
