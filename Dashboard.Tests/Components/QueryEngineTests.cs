using System.Text.Json.Nodes;
using Bunit;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Model;
using Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>The workbench's engine choice: a SELECT runs interactively (no task), "Run as task" and INSERT make a task.</summary>
public sealed class QueryEngineTests : QueryPageTestBase
{
    private IRenderedComponent<Query> RenderReady()
    {
        var page = RenderPage<Query>();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid=run-query]")));
        return page;
    }

    [Fact]
    public void Select_RunsInteractively_ShowsRowsAndQueryIdWithNoTask()
    {
        EditorText("SELECT channel, COUNT(*) AS n FROM wikipedia GROUP BY 1");
        Overlord.SqlQueries = _ => new SqlQueryResult("q-interactive-1", ["channel", "n"], [new JsonArray("#en", 3), new JsonArray("#fr", 1)], false);
        var page = RenderReady();

        page.Find("[data-testid=run-query]").Click();

        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=result-row]").Count));
        Assert.Contains("#en", page.Find("[data-testid=results-grid]").TextContent);
        Assert.Contains("2 rows in", page.Find("[data-testid=interactive-summary]").TextContent);
        Assert.Equal("q-interactive-1", page.Find("[data-testid=interactive-query-id]").TextContent.Trim());
        Assert.Equal("SELECT channel, COUNT(*) AS n FROM wikipedia GROUP BY 1", Overlord.SqlQueryRequests.Single().Query);
        Assert.Empty(Overlord.SqlRequests);
    }

    [Fact]
    public void RunAsTask_Select_SubmitsAQueryTaskAndNoInteractiveQuery()
    {
        EditorText("SELECT 1");
        Overlord.SqlTasks = _ => new SqlTaskSubmission(new SqlTaskStatus("query-abc", "RUNNING"), null);
        var page = RenderReady();

        page.Find("[data-testid=run-as-task]").Click();

        page.WaitForAssertion(() => Assert.Equal("SELECT 1", Overlord.SqlRequests.Single().Query));
        Assert.Empty(Overlord.SqlQueryRequests);
        Assert.EndsWith("/query/query-abc", Context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().Uri);
    }

    [Fact]
    public void Insert_WithTheAutoEngine_RunsAsATask()
    {
        EditorText("INSERT INTO t SELECT * FROM u PARTITIONED BY DAY");
        Overlord.SqlTasks = _ => new SqlTaskSubmission(new SqlTaskStatus("query-ins", "RUNNING"), null);
        var page = RenderReady();

        page.Find("[data-testid=run-query]").Click();

        page.WaitForAssertion(() => Assert.Single(Overlord.SqlRequests));
        Assert.Empty(Overlord.SqlQueryRequests);
    }

    [Fact]
    public void InteractiveError_ShowsThePanelAndTheMarkerAtItsPosition()
    {
        EditorText("SELECT nope FROM wikipedia");
        Overlord.SqlQueries = _ => throw new DruidException(400, ErrorBodyShape.ErrorResponse, "Column 'nope' not found in any table (line [1], column [8])",
            "invalidInput", "INVALID_INPUT", context: new Dictionary<string, string> { ["sourceType"] = "sql", ["line"] = "1", ["column"] = "8" });
        var page = RenderReady();

        page.Find("[data-testid=run-query]").Click();

        page.WaitForAssertion(() => Assert.Contains("line 1, column 8", page.Find("[data-testid=query-error]").TextContent));
        Assert.Contains("Column 'nope' not found", page.Find("[data-testid=query-error-message]").TextContent);
        var marker = Editor.Invocations["setMarker"].Last();
        Assert.Equal(1, marker.Arguments[1]);
        Assert.Equal(8, marker.Arguments[2]);
        Assert.Empty(page.FindAll("[data-testid=interactive-results]"));
        Assert.Empty(Overlord.SqlRequests);
    }

    [Theory]
    [InlineData("SELECT 1", true)]
    [InlineData("  with x AS (SELECT 1) SELECT * FROM x", true)]
    [InlineData("SET sqlTimeZone = 'UTC'; SELECT 1", true)]
    [InlineData("-- INSERT INTO t\nSELECT 1", true)]
    [InlineData("INSERT INTO t SELECT 1 PARTITIONED BY DAY", false)]
    [InlineData("REPLACE INTO t OVERWRITE ALL SELECT 1 PARTITIONED BY DAY", false)]
    [InlineData("EXPLAIN PLAN FOR SELECT 1", false)]
    public void IsInteractiveSelect_TellsSelectsFromIngestion(string sql, bool interactive) =>
        Assert.Equal(interactive, Query.IsInteractiveSelect(sql));

    [Fact]
    public void Tabs_KeepTheirEngineThroughStorage()
    {
        var tabs = new List<QueryTab> { new("Query 1", "SELECT 1", null), new("Query 2", "SELECT 2", null, QueryEngines.Msq) };
        var parsed = QueryTabs.Parse(QueryTabs.Serialize(tabs, 0))!.Value;
        Assert.Equal([QueryEngines.Auto, QueryEngines.Msq], parsed.Tabs.Select(t => t.Engine));
        Assert.Equal(QueryEngines.Auto, QueryTabs.Parse("""{"tabs":[{"name":"a","sql":"SELECT 1"}]}""")!.Value.Tabs.Single().Engine);
    }
}
