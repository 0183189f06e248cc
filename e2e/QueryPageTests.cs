using System.Text.Json;
using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

/// <summary>The SQL workbench: typing into Monaco, running INSERT and SELECT, the live execution view, errors as markers.</summary>
[Collection(DashboardCollection.Name)]
public sealed class QueryPageTests(DashboardServerFixture server, BrowserFixture browser)
{
    private static ILocator Editor(IPage page) => page.GetByTestId("sql-editor").Locator(".view-lines");

    /// <summary>Waits for the interactive editor, then replaces its text as a paste would and leaves the cursor in it.</summary>
    private static async Task TypeSqlAsync(IPage page, string sql)
    {
        await Expect(Editor(page)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Editor(page).ClickAsync();
        await page.Keyboard.PressAsync("Control+A");
        await page.Keyboard.PressAsync("Delete");
        await page.Keyboard.InsertTextAsync(sql);
        await page.Keyboard.PressAsync("Escape");
    }

    private string WriteEdits(string name, int rows)
    {
        var path = Path.Combine(server.DataDir, "input", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        string[] channels = ["#en.wikipedia", "#de.wikipedia", "#fr.wikipedia"];
        File.WriteAllLines(path, Enumerable.Range(0, rows).Select(i =>
            JsonSerializer.Serialize(new { time = $"2015-09-12T{i % 24:00}:{i % 60:00}:00Z", channel = channels[i % 3], added = i })));
        return path;
    }

    [Fact]
    public async Task Workbench_InProduction_ShowsTheEditor_WithNoConsoleErrorsOrFailedAssets()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        await session.GotoAsync("/query");

        await Expect(Editor(session.Page)).ToBeVisibleAsync(new() { Timeout = 30_000 });
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Insert_TypedInMonaco_RunsWithStagesAndCharts_ThenSelectShowsTheResultsGrid()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server, height: 1000);
        var page = session.Page;
        var file = WriteEdits("e2e-query-edits.json", 3000);
        await session.GotoAsync("/query");

        await TypeSqlAsync(page,
            "INSERT INTO e2e_query_edits SELECT TIME_PARSE(\"time\") AS __time, channel, added " +
            $"FROM TABLE(EXTERN('{{\"type\":\"local\",\"files\":[\"{file}\"]}}', '{{\"type\":\"json\"}}')) " +
            "EXTEND (\"time\" VARCHAR, channel VARCHAR, added BIGINT) PARTITIONED BY DAY");
        await page.Keyboard.PressAsync("Control+Enter");

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/query/query-"), new() { Timeout = 15_000 });
        var execution = page.GetByTestId("query-execution");
        await Expect(execution.GetByTestId("stage-row").First).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(execution).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 60_000 });
        await Expect(execution.GetByTestId("stage-row")).ToHaveCountAsync(2);
        await Expect(execution.Locator("[data-stage='0'] [data-testid=stage-input-rows]")).ToHaveTextAsync("3,000");
        await Expect(execution.GetByTestId("stage-timeline").Locator("svg").First).ToBeVisibleAsync();
        await Expect(execution.GetByTestId("stage-counters").Locator("svg").First).ToBeVisibleAsync();
        await Expect(execution.GetByTestId("ingestion-summary")).ToContainTextAsync("3,000 rows into e2e_query_edits");
        await Expect(page.GetByTestId("recent-query").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "query-execution-light");

        await session.SwitchToDarkAsync();
        await page.Mouse.MoveAsync(600, 300);
        await Expect(execution.GetByTestId("stage-timeline").Locator("svg").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "query-execution-dark");

        var href = await execution.GetByTestId("open-datasource").GetAttributeAsync("href");
        Assert.Contains("query?sql=", href);
        await session.GotoAsync("/" + href);
        await Expect(Editor(page)).ToContainTextAsync("LIMIT 100", new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("query-tab")).ToHaveCountAsync(2);

        await TypeSqlAsync(page, "SELECT * FROM e2e_query_e");
        await page.Keyboard.PressAsync("Control+Space");
        await Expect(page.Locator(".suggest-widget")).ToContainTextAsync("e2e_query_edits", new() { Timeout = 10_000 });
        await page.Keyboard.PressAsync("Escape");

        await TypeSqlAsync(page, "SELECT channel, COUNT(*) AS edits FROM e2e_query_edits GROUP BY channel ORDER BY channel");
        await page.GetByTestId("run-as-task").ClickAsync();
        var grid = page.GetByTestId("results-grid");
        await Expect(grid).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(grid.GetByTestId("result-row")).ToHaveCountAsync(3);
        await Expect(grid.GetByTestId("result-row").First).ToContainTextAsync("#de.wikipedia");
        await Expect(grid.GetByTestId("result-row").First).ToContainTextAsync("1000");
        await Expect(page.GetByTestId("stage-counters").Locator("svg").First).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "query-select-dark");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task QueuedInsert_TheAttachedViewFollowsItFromWaitingThroughItsStagesToSuccess()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server, height: 1000);
        using var api = new DashboardApi(server.BaseAddress);
        var page = session.Page;
        var files = Enumerable.Range(0, 4).Select(i => WriteEdits($"e2e-query-big-{i}.json", 50_000)).ToList();
        // Every task slot (the in-process default capacity) is taken, so the query waits with its view attached.
        var blockers = new List<string>();
        for (var i = 0; i < Math.Max(4, Environment.ProcessorCount); i++)
        {
            blockers.Add(await api.SubmitAsync("""{"type":"noop","runTime":600000,"dataSource":"e2e_query_blockers"}"""));
        }

        await session.GotoAsync("/query");
        await page.EvaluateAsync("""
            () => {
              window.seenStatuses = [];
              window.seenPhases = new Set();
              new MutationObserver(() => {
                const view = document.querySelector("[data-testid=query-execution]");
                const status = view?.dataset.status;
                if (status && window.seenStatuses[window.seenStatuses.length - 1] !== status) window.seenStatuses.push(status);
                document.querySelectorAll("[data-testid=stage-row]").forEach(r => window.seenPhases.add(r.dataset.stage + ":" + r.dataset.phase));
              }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-status", "data-phase"] });
            }
            """);

        var list = string.Join(",", files.Select(f => $"\"{f}\""));
        await TypeSqlAsync(page,
            "INSERT INTO e2e_query_big SELECT TIME_PARSE(\"time\") AS __time, channel, added " +
            $"FROM TABLE(EXTERN('{{\"type\":\"local\",\"files\":[{list}]}}', '{{\"type\":\"json\"}}')) " +
            "EXTEND (\"time\" VARCHAR, channel VARCHAR, added BIGINT) PARTITIONED BY DAY");
        await page.Locator("input[data-testid=context-maxNumTasks], [data-testid=context-maxNumTasks] input").FillAsync("3");
        await page.Keyboard.PressAsync("Tab");
        await page.GetByTestId("run-query").ClickAsync();

        var execution = page.GetByTestId("query-execution");
        await Expect(execution).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(PENDING|WAITING)$"), new() { Timeout = 15_000 });
        await Expect(execution.GetByTestId("stage-row")).ToHaveCountAsync(0);
        await Screenshots.SaveAsync(page, "query-execution-waiting-light");

        foreach (var id in blockers)
        {
            await api.ShutdownAsync(id);
        }

        await Expect(execution).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 120_000 });
        await Expect(execution.Locator("[data-stage='0'] [data-testid=stage-input-rows]")).ToHaveTextAsync("200,000");
        await Expect(execution.Locator("[data-stage='0'] [data-testid=stage-input-detail]")).ToContainTextAsync("4/4 files");
        await Expect(execution.GetByTestId("stage-skew").Locator(".apexcharts-bar-area")).ToHaveCountAsync(3);
        var statuses = await page.EvaluateAsync<string[]>("() => window.seenStatuses");
        Assert.Matches("^(PENDING|WAITING)$", statuses[0]);
        Assert.Equal("SUCCESS", statuses[^1]);
        var phases = await page.EvaluateAsync<string[]>("() => [...window.seenPhases]");
        Assert.Contains("0:FINISHED", phases);
        Assert.Contains("1:FINISHED", phases);
        await Screenshots.SaveAsync(page, "query-execution-workers-light");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task Select_RunsInteractively_ShowsTheRowsWithTheQueryIdAndNoTask()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        await session.GotoAsync("/query");

        await TypeSqlAsync(page, "SELECT 1 AS one, 'interactive' AS engine");
        await page.GetByTestId("run-query").ClickAsync();

        var results = page.GetByTestId("interactive-results");
        await Expect(results).ToBeVisibleAsync(new() { Timeout = 15_000 });
        await Expect(results.GetByTestId("result-row")).ToHaveCountAsync(1);
        await Expect(results.GetByTestId("result-row").First).ToContainTextAsync("interactive");
        await Expect(results.GetByTestId("interactive-summary")).ToContainTextAsync("1 row in");
        await Expect(results.GetByTestId("interactive-query-id")).Not.ToBeEmptyAsync();
        Assert.DoesNotContain("/query/query-", page.Url);
        await Screenshots.SaveAsync(page, "query-interactive-light");

        await session.SwitchToDarkAsync();
        await page.Mouse.MoveAsync(600, 300);
        await Expect(results).ToBeVisibleAsync();
        await Screenshots.SaveAsync(page, "query-interactive-dark");
        session.AssertNoProblems();
    }

    [Fact]
    public async Task SyntaxError_ShowsThePanelAndAMarkerAtItsLine()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server);
        var page = session.Page;
        await session.GotoAsync("/query");

        await TypeSqlAsync(page, "INSERT INTO t\nSELEC * FROM u");
        await page.GetByTestId("run-query").ClickAsync();

        await Expect(page.GetByTestId("query-error")).ToContainTextAsync("line 2, column 1");
        await Expect(page.Locator(".squiggly-error").First).ToBeAttachedAsync();
        var marker = await page.EvaluateAsync<JsonElement>(
            "() => { const m = window.monaco.editor.getModelMarkers({ owner: 'druid' }); return m.map(x => [x.startLineNumber, x.startColumn]); }");
        Assert.Equal(1, marker.GetArrayLength());
        Assert.Equal(2, marker[0][0].GetInt32());
        Assert.Equal(1, marker[0][1].GetInt32());
        await Screenshots.SaveAsync(page, "query-error-light");
        session.AssertNoProblems();
    }
}
