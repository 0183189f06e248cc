using System.Text.RegularExpressions;
using Dashboard.Tests.Api;

namespace Dashboard.Tests.Security;

public sealed class SecurityHeadersTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public async Task Page_HasContentSecurityPolicy_WhoseNonceIsOnTheImportMapOnly()
    {
        using var response = await Http.GetAsync("/");
        var html = await response.Content.ReadAsStringAsync();

        var policy = Assert.Single(response.Headers.GetValues("Content-Security-Policy"));
        var nonce = Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains("frame-ancestors 'self'", policy);
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Matches($"<script[^>]*type=\"importmap\"[^>]*nonce=\"{Regex.Escape(nonce)}\"|<script[^>]*nonce=\"{Regex.Escape(nonce)}\"[^>]*type=\"importmap\"", html);
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));

        using var again = await Http.GetAsync("/");
        Assert.NotEqual(policy, Assert.Single(again.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task ApiResponse_HasNoSniff_AndFramingLimitedToThisOrigin()
    {
        using var response = await Http.GetAsync($"{V1}/tasks");

        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("SAMEORIGIN", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }
}
