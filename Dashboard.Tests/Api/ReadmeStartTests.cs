using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>The server started with the README's command, as a new user does: Production, assets served, no stack traces.</summary>
public sealed partial class ReadmeStartTests(ReadmeServer server) : IClassFixture<ReadmeServer>
{
    /// <summary>Loaded by the workbench's scripts at run time (monaco.js, charts.js), so not in the page's HTML.</summary>
    private static readonly string[] ScriptAssets =
    [
        "_content/BlazorMonaco/jsInterop.js",
        "_content/BlazorMonaco/lib/monaco-editor/min/vs/loader.js",
        "_content/BlazorMonaco/lib/monaco-editor/min/vs/editor/editor.main.js",
        "js/monaco.js",
        "js/sqleditor.js",
        "js/charts.js",
        "lib/apexcharts/apexcharts.esm.js",
    ];

    [Fact]
    public void ReadmeCommand_RunsInProductionEnvironment()
    {
        Assert.Contains("Hosting environment: Production", server.Output);
    }

    [Fact]
    public async Task ReadmeCommand_DuplicateKeySpec_Is400NamingTheKey_WithoutStackTrace()
    {
        var response = await server.Client.PostAsync("/druid/indexer/v1/task",
            new StringContent("""{"type":"noop","type":"index"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("Duplicate field 'type'", body);
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
    }

    [Theory]
    [InlineData("GET", "/druid/indexer/v1/tasks?createdTimeInterval=P1000000Y/2026-01-01", null, 400)]
    [InlineData("POST", "/druid/indexer/v1/task", """{"type":"noop","dataSource":".."}""", 400)]
    [InlineData("POST", "/druid/indexer/v1/task", """{"type":"noop","id":"a\u0000b"}""", 400)]
    [InlineData("POST", "/druid/indexer/v1/task", "LONG_ID", 400)]
    [InlineData("POST", "/druid/indexer/v1/task", "OVER_LIMIT", 413)]
    public async Task ReadmeCommand_BadInput_IsRefusedWithoutStackTrace_AndCreatesNoTask(string method, string path, string? body, int status)
    {
        body = body switch
        {
            "LONG_ID" => $$"""{"type":"noop","id":"{{new string('a', 10_000)}}"}""",
            "OVER_LIMIT" => "{\"type\":\"noop\",\"dataSource\":\"big\"" + new string(' ', 16 * 1024 * 1024) + "}",
            _ => body,
        };
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await server.Client.SendAsync(request);

        Assert.Equal(status, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{\"error\":", text);
        Assert.DoesNotContain("   at ", text);
        Assert.Equal("[]", await server.Client.GetStringAsync("/druid/indexer/v1/tasks"));
    }

    [Fact]
    public async Task ReadmeCommand_WorkbenchPage_AndEveryStaticAssetItUses_Answer200()
    {
        var page = await server.Client.GetAsync("/query");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var referenced = AssetReference().Matches(html).Select(m => m.Groups[1].Value).ToList();
        Assert.Contains(referenced, a => a.StartsWith("_content/MudBlazor/", StringComparison.Ordinal));
        Assert.Contains(referenced, a => a.StartsWith("_framework/", StringComparison.Ordinal));

        var failures = new List<string>();
        foreach (var asset in referenced.Concat(ScriptAssets).Distinct())
        {
            var response = await server.Client.GetAsync(asset);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                failures.Add($"{asset}: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(failures);
    }

    /// <summary>src/href of files the page loads (relative to its base href "/").</summary>
    [GeneratedRegex(@"(?:src|href)=""/?([^"":#?]+\.(?:js|css|svg|png|ico|woff2?))(?:\?[^""]*)?""")]
    private static partial Regex AssetReference();
}
