using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Model;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Components;

/// <summary>The workbench page: submission, the server's error as panel and marker, Explain, the context, tabs.</summary>
public sealed class QueryPageTests : QueryPageTestBase
{
    private IRenderedComponent<Query> RenderPage() => RenderPage<Query>();

    [Fact]
    public void ParseError_ShowsThePanelAndSetsTheMarkerAtItsLineAndColumn()
    {
        EditorText("INSERT INTO t\nSELEC * FROM u");
        Overlord.SqlTasks = _ => throw new DruidException(400, ErrorBodyShape.ErrorResponse, "Received an unexpected token [SELEC] (line [2], column [1])",
            "invalidInput", "INVALID_INPUT", context: new Dictionary<string, string> { ["sourceType"] = "sql", ["line"] = "2", ["column"] = "1" });
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=run-query]")));

        page.Find("[data-testid=run-query]").Click();

        page.WaitForAssertion(() => Assert.Contains("line 2, column 1", page.Find("[data-testid=query-error]").TextContent));
        Assert.Contains("unexpected token [SELEC]", page.Find("[data-testid=query-error-message]").TextContent);
        var marker = Editor.Invocations["setMarker"].Last();
        Assert.Equal(2, marker.Arguments[1]);
        Assert.Equal(1, marker.Arguments[2]);
        Assert.Equal(2, Overlord.SqlRequests.Single().Context["maxNumTasks"]!.GetValue<int>());
    }

    [Fact]
    public void Editor_CompletesTheServersFunctionAllowList()
    {
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.NotEmpty(Editor.Invocations["create"]));
        var functions = Assert.IsAssignableFrom<IEnumerable<string>>(Editor.Invocations["create"].First().Arguments[5]);
        Assert.Equal(Dashboard.Core.Msq.Dialect.DruidSqlFunctions.All, functions);
        Assert.Contains("TIME_FLOOR", functions);
    }

    [Fact]
    public void MaxNumTasksAboveTheFreeSlots_ShowsAHint()
    {
        Overlord.Capacity = new TotalWorkerCapacity(4, 3);
        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Contains("1 of 4 task slots free", page.Find("[data-testid=context-editor]").TextContent));
    }

    [Fact]
    public void Explain_ShowsPlanResourcesAndAttributes()
    {
        EditorText("SET maxParseExceptions = 1; SELECT 1");
        Overlord.SqlTasks = _ => new SqlTaskSubmission(null, new JsonObject
        {
            ["PLAN"] = """[{"query":{"queryType":"scan"}}]""",
            ["RESOURCES"] = """[{"name":"wikipedia","type":"DATASOURCE"}]""",
            ["ATTRIBUTES"] = """{"statementType":"SELECT"}""",
        });
        var page = RenderPage();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=explain-query]")));

        page.Find("[data-testid=explain-query]").Click();

        page.WaitForAssertion(() => Assert.Contains("RESOURCES", page.Find("[data-testid=explain-panel]").TextContent));
        Assert.Contains("\"queryType\": \"scan\"", page.Find("[data-testid=explain-panel]").TextContent);
        Assert.Equal("SET maxParseExceptions = 1; EXPLAIN PLAN FOR SELECT 1", Overlord.SqlRequests.Single().Query);
    }

    [Fact]
    public void InvalidContext_IsReportedWithoutSubmitting()
    {
        var form = new QueryContextForm { MaxNumTasks = 1, Other = "[1]" };
        Assert.Equal(2, form.Errors.Count);

        var valid = QueryContextForm.FromJson(JsonNode.Parse("""{"maxNumTasks":4,"failOnEmptyInsert":true,"sqlTimeZone":"UTC"}""")!.AsObject());
        Assert.Empty(valid.Errors);
        Assert.Equal("""{"sqlTimeZone":"UTC","maxNumTasks":4,"failOnEmptyInsert":true}""", valid.ToJson().ToJsonString());
    }

    [Fact]
    public void Tabs_RoundTripThroughStorage()
    {
        var tabs = new List<QueryTab> { new("Query 1", "SELECT 1", null), new("Query 2", "SELECT 2", new JsonObject { ["maxNumTasks"] = 3 }) };
        var parsed = QueryTabs.Parse(QueryTabs.Serialize(tabs, 1))!.Value;
        Assert.Equal(1, parsed.Active);
        Assert.Equal(["SELECT 1", "SELECT 2"], parsed.Tabs.Select(t => t.Sql));
        Assert.Equal(3, parsed.Tabs[1].Context!["maxNumTasks"]!.GetValue<int>());
        Assert.Equal("Query 3", QueryTabs.NextName(parsed.Tabs));
        Assert.Null(QueryTabs.Parse("not json"));
    }
}
