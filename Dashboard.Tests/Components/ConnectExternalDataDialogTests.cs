using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sampling;
using MudBlazor;

namespace Dashboard.Tests.Components;

/// <summary>"Connect external data" from the workbench: the preview of the server's sample, the choices, the SQL written into the editor.</summary>
public sealed class ConnectExternalDataDialogTests : ComponentTestBase
{
    private readonly BunitJSModuleInterop _editor;

    public ConnectExternalDataDialogTests()
    {
        _editor = Context.JSInterop.SetupModule("./js/sqleditor.js");
        _editor.Mode = JSRuntimeMode.Loose;
    }

    private static SamplerResponse Sample()
    {
        JsonObject Row(string time, string channel, long added) => new() { ["time"] = time, ["channel"] = channel, ["added"] = added, ["ts"] = 1442016000000 };
        var rows = new[] { Row("2015-09-12T00:46:58.771Z", "#en.wikipedia", 36), Row("2015-09-12T00:47:00.496Z", "#ca.wikipedia", 17) };
        var dimensions = new List<SamplerDimension>
        {
            new("string", "time", "SORTED_ARRAY", true), new("string", "channel", "SORTED_ARRAY", true), new("long", "added", "SORTED_ARRAY", false),
            new("long", "ts", "SORTED_ARRAY", false),
        };
        var schema = new List<SamplerColumn> { new("__time", "LONG"), new("time", "STRING"), new("channel", "STRING"), new("added", "LONG"), new("ts", "LONG") };
        return new SamplerResponse(2, 2, dimensions, dimensions, schema,
            rows.Select(r => new SamplerRow(r, (JsonObject)r.DeepClone())).ToList())
        {
            InputFormat = new JsonObject { ["type"] = "json" },
            TimeColumns = [new TimeColumnCandidate("time", "iso"), new TimeColumnCandidate("ts", "millis")],
            BytesRead = 1234,
            Truncated = false,
        };
    }

    private (IRenderedComponent<MudDialogProvider> Dialogs, IRenderedComponent<MudPopoverProvider> Popovers, IRenderedComponent<Query> Page) Open()
    {
        var popovers = Context.Render<MudPopoverProvider>();
        var dialogs = Context.Render<MudDialogProvider>();
        var page = Context.Render<Query>();
        page.WaitForAssertion(() => Assert.False(page.Find("[data-testid=connect-external-data]").HasAttribute("disabled")));
        page.Find("[data-testid=connect-external-data]").Click();
        dialogs.WaitForAssertion(() => Assert.True(dialogs.FindAll("[data-testid=connect-path]").Count > 0, dialogs.Markup));
        return (dialogs, popovers, page);
    }

    [Fact]
    public void Preview_ShowsTheParsedRowsWithTypes_AndInsertWritesTheStatementIntoANewTab()
    {
        Overlord.Sampler = _ => Sample();
        var (dialogs, popovers, _) = Open();

        dialogs.Find("[data-testid=connect-path]").Input("/data/wikiticker-2015-09-12-sampled.json.gz");
        dialogs.Find("[data-testid=connect-preview]").Click();

        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=connect-row]").Count));
        var request = Overlord.SamplerRequests.Single();
        Assert.Equal("""{"type":"local","files":["/data/wikiticker-2015-09-12-sampled.json.gz"]}""", request["spec"]!["ioConfig"]!["inputSource"]!.ToJsonString());
        Assert.Null(request["spec"]!["ioConfig"]!["inputFormat"]);
        Assert.Equal(["time", "channel", "added", "ts"], dialogs.FindAll("[data-testid=connect-column] .column-name").Select(e => e.TextContent));
        Assert.Equal(["__time", "string", "long", "long"], dialogs.FindAll("[data-testid=connect-column-type]").Select(e => e.TextContent));
        Assert.Equal("json", dialogs.Find("[data-testid=connect-detected-format]").TextContent);
        Assert.Contains("#ca.wikipedia", dialogs.FindAll("[data-testid=connect-row]")[1].TextContent);
        Assert.Equal("wikiticker-2015-09-12-sampled", dialogs.Find("[data-testid=connect-datasource]").GetAttribute("value"));

        // Pick the epoch-millis column as the time column instead of the suggested one.
        dialogs.Find("[data-testid=connect-time-column]").Closest(".mud-input-control")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-list-item"), i => i.TextContent.Contains("ts (epoch ms)")));
        popovers.FindAll(".mud-list-item").First(i => i.TextContent.Contains("ts (epoch ms)")).Click();
        dialogs.WaitForAssertion(() => Assert.Equal("__time", dialogs.FindAll("[data-testid=connect-column-type]")[3].TextContent));

        dialogs.Find("[data-testid=connect-insert]").Click();

        _editor.VerifyInvoke("setValue");
        var sql = (string)_editor.Invocations["setValue"].Last().Arguments[1]!;
        Assert.StartsWith("INSERT INTO \"wikiticker-2015-09-12-sampled\"\nWITH \"ext\" AS (", sql);
        Assert.Contains("""'{"type":"local","files":["/data/wikiticker-2015-09-12-sampled.json.gz"]}'""", sql);
        Assert.Contains("""'[{"name":"time","type":"string"},{"name":"channel","type":"string"},{"name":"added","type":"long"},{"name":"ts","type":"long"}]'""", sql);
        Assert.Contains("MILLIS_TO_TIMESTAMP(\"ts\") AS \"__time\",\n  \"time\",\n  \"channel\",\n  \"added\"\nFROM \"ext\"\nPARTITIONED BY DAY", sql);
        dialogs.WaitForAssertion(() => Assert.Empty(dialogs.FindAll("[data-testid=connect-dialog]")));
    }

    [Fact]
    public void PathOutsideTheAllowedFolders_ShowsTheServersMessage_AndInsertStaysDisabled()
    {
        Overlord.Sampler = _ => throw DruidException.ErrorMap(400,
            "Local input path [/etc/passwd] resolves to [/etc/passwd], which is outside the folders ingestion may read (/srv/data). Move the data there, or add its folder to Ingestion:AllowedBaseDirs.");
        var (dialogs, _, _) = Open();

        dialogs.Find("[data-testid=connect-path]").Input("/etc/passwd");
        dialogs.Find("[data-testid=connect-preview]").Click();

        dialogs.WaitForAssertion(() => Assert.Contains("outside the folders ingestion may read (/srv/data)", dialogs.Find("[data-testid=connect-error]").TextContent));
        Assert.Empty(dialogs.FindAll("[data-testid=connect-preview-grid]"));
        Assert.True(dialogs.Find("[data-testid=connect-insert]").HasAttribute("disabled"));
    }

    [Fact]
    public void Inline_WithoutATimeColumn_WritesTheConsolesLiteral()
    {
        var sample = Sample() with { };
        Overlord.Sampler = _ => sample with { TimeColumns = [] };
        var (dialogs, _, _) = Open();

        dialogs.FindAll("[data-testid=connect-source-tabs] .mud-tab").First(t => t.TextContent.Contains("Inline")).Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=connect-inline]").Input("{\"channel\":\"a\"}"));
        dialogs.Find("[data-testid=connect-preview]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=connect-row]").Count));
        Assert.Equal("inline", Overlord.SamplerRequests.Single()["spec"]!["ioConfig"]!["inputSource"]!["type"]!.GetValue<string>());
        Assert.Equal("inline_data", dialogs.Find("[data-testid=connect-datasource]").GetAttribute("value"));

        dialogs.Find("[data-testid=connect-insert]").Click();

        var sql = (string)_editor.Invocations["setValue"].Last().Arguments[1]!;
        Assert.Contains("TIMESTAMP '1970-01-01 00:00:00' AS \"__time\",\n  \"time\",", sql);
        Assert.EndsWith("PARTITIONED BY ALL", sql);
    }

    [Fact]
    public void NewTabOff_InsertsAtTheCursorOfTheCurrentTab()
    {
        Overlord.Sampler = _ => Sample();
        var (dialogs, _, page) = Open();
        dialogs.Find("[data-testid=connect-path]").Input("/data/events.json");
        dialogs.Find("[data-testid=connect-preview]").Click();
        dialogs.WaitForAssertion(() => Assert.Equal(2, dialogs.FindAll("[data-testid=connect-row]").Count));

        dialogs.Find("[data-testid=connect-new-tab]").Change(false);
        dialogs.Find("[data-testid=connect-insert]").Click();

        _editor.VerifyInvoke("insertText");
        Assert.StartsWith("INSERT INTO \"events\"", (string)_editor.Invocations["insertText"].Single().Arguments[1]!);
        Assert.Empty(_editor.Invocations["setValue"]);
        Assert.Single(page.FindAll("[data-testid=query-tab]"));
    }
}
