using System.Text.Json.Nodes;
using Dashboard.Core.Security;

namespace Dashboard.Tests.Security;

public class SecretMaskerTests
{
    [Fact]
    public void MaskJson_HttpInputSourcePasswords_AreMasked_AndTheRestKept()
    {
        var spec = JsonNode.Parse("""
            {"type":"index_parallel","spec":{"ioConfig":{"inputSource":{"type":"http","uris":["http://bob:uri-secret@example.com/a.json"],
             "httpAuthenticationUsername":"bob","httpAuthenticationPassword":"plain-secret"},
             "other":{"httpAuthenticationPassword":{"type":"default","password":"provider-secret"}},
             "env":{"httpAuthenticationPassword":{"type":"environment","variable":"HTTP_PASSWORD"}}}}}
            """)!.AsObject();

        var masked = SecretMasker.MaskJson(spec);

        var io = masked["spec"]!["ioConfig"]!;
        Assert.Equal("<masked>", io["inputSource"]!["httpAuthenticationPassword"]!.GetValue<string>());
        Assert.Equal("bob", io["inputSource"]!["httpAuthenticationUsername"]!.GetValue<string>());
        Assert.Equal("http://bob:<masked>@example.com/a.json", io["inputSource"]!["uris"]![0]!.GetValue<string>());
        Assert.Equal("<masked>", io["other"]!["httpAuthenticationPassword"]!["password"]!.GetValue<string>());
        Assert.Equal("default", io["other"]!["httpAuthenticationPassword"]!["type"]!.GetValue<string>());
        Assert.Equal("HTTP_PASSWORD", io["env"]!["httpAuthenticationPassword"]!["variable"]!.GetValue<string>());
        Assert.Equal("plain-secret", spec["spec"]!["ioConfig"]!["inputSource"]!["httpAuthenticationPassword"]!.GetValue<string>());
    }

    [Fact]
    public void MaskText_SqlWithExternHttpPassword_IsMasked()
    {
        const string sql = """SELECT * FROM TABLE(EXTERN('{"type":"http","uris":["https://h/x.json"],"httpAuthenticationUsername":"u","httpAuthenticationPassword":"p@ss\"word"}', '{"type":"json"}'))""";

        var masked = SecretMasker.MaskText(sql);

        Assert.DoesNotContain("p@ss", masked);
        Assert.Contains("\"httpAuthenticationPassword\":\"<masked>\"", masked);
        Assert.Contains("\"httpAuthenticationUsername\":\"u\"", masked);
    }

    [Fact]
    public void MaskText_SecretInsideAnObjectField_IsMasked()
    {
        var masked = SecretMasker.MaskText("""spec {"inputSource":{"type":"http","httpAuthenticationPassword":"nested-secret"},"x":"y"}""");

        Assert.DoesNotContain("nested-secret", masked);
        Assert.Contains("\"x\":\"y\"", masked);
    }

    [Theory]
    [InlineData("Reading http://127.0.0.1:8080/a.json", "Reading http://127.0.0.1:8080/a.json")]
    [InlineData("s3://bucket/key and https://example.com/path", "s3://bucket/key and https://example.com/path")]
    [InlineData("https://user:pw@host/x", "https://user:<masked>@host/x")]
    public void MaskText_TextWithoutSecrets_IsUnchanged_AndUriPasswordsAreMasked(string text, string expected) =>
        Assert.Equal(expected, SecretMasker.MaskText(text));
}
