using Dashboard.E2E.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Dashboard.E2E;

/// <summary>"Connect external data" in the workbench: a local file previewed by the server, the INSERT written into Monaco and run.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ConnectExternalDataTests(DashboardServerFixture server, BrowserFixture browser)
{
    private string Wikiticker()
    {
        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repo.FullName, "Dashboard.sln")))
        {
            repo = repo.Parent!;
        }

        var shared = Environment.GetEnvironmentVariable("SHARED_DIR") is { Length: > 0 } dir ? dir : Path.Combine(repo.FullName, "..", "shared");
        var file = Path.Combine(server.DataDir, "input", "e2e-connect", "wikiticker-2015-09-12-sampled.json.gz");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.Copy(Path.Combine(shared, "data", "wikiticker-2015-09-12-sampled.json.gz"), file, overwrite: true);
        return file;
    }

    [Fact]
    public async Task LocalFile_Preview_InsertIntoMonaco_Run_Succeeds()
    {
        await using var session = await BrowserSession.OpenAsync(browser, server, width: 1400, height: 1000);
        var page = session.Page;
        var file = Wikiticker();
        await session.GotoAsync("/query");
        await Expect(page.GetByTestId("sql-editor").Locator(".view-lines")).ToBeVisibleAsync(new() { Timeout = 30_000 });

        await page.GetByTestId("connect-external-data").ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Connect external data" });
        await Expect(dialog).ToBeVisibleAsync();

        // A path outside the allowed folders: the server's rule, naming the folders, and nothing to insert.
        await dialog.GetByTestId("connect-path").FillAsync("/etc/hostname");
        await dialog.GetByTestId("connect-preview").ClickAsync();
        await Expect(dialog.GetByTestId("connect-error")).ToContainTextAsync("outside the folders ingestion may read");
        await Expect(dialog.GetByTestId("connect-error")).ToContainTextAsync(server.DataDir);
        await Expect(dialog.GetByTestId("connect-insert")).ToBeDisabledAsync();
        await page.Mouse.MoveAsync(700, 760);
        await Screenshots.SaveAsync(page, "connect-external-data-error-light");

        await dialog.GetByTestId("connect-path").FillAsync(file);
        await dialog.GetByTestId("connect-preview").ClickAsync();
        await Expect(dialog.GetByTestId("connect-row")).ToHaveCountAsync(50, new() { Timeout = 15_000 });
        await Expect(dialog.GetByTestId("connect-detected-format")).ToHaveTextAsync("json");
        await Expect(dialog.GetByTestId("connect-preview")).ToBeEnabledAsync();
        await Expect(dialog.GetByTestId("connect-summary")).ToContainTextAsync("200 rows sampled");
        await Expect(dialog.GetByTestId("connect-column").First).ToContainTextAsync("time");
        await Expect(dialog.GetByTestId("connect-datasource")).ToHaveValueAsync("wikiticker-2015-09-12-sampled");
        await dialog.GetByTestId("connect-datasource").FillAsync("e2e_connect_wiki");
        await page.Mouse.MoveAsync(700, 760);
        await Screenshots.SaveAsync(page, "connect-external-data-light");

        await dialog.GetByTestId("connect-insert").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        var editor = page.GetByTestId("sql-editor").Locator(".view-lines");
        await Expect(editor).ToContainTextAsync("INSERT INTO \"e2e_connect_wiki\"");
        var sql = await page.EvaluateAsync<string>("() => window.monaco.editor.getEditors()[0].getValue()");
        Assert.Contains("TIME_PARSE(\"time\") AS \"__time\"", sql);
        Assert.EndsWith("FROM \"ext\"\nPARTITIONED BY DAY", sql);
        await Expect(page.GetByTestId("query-tab")).ToHaveCountAsync(2);

        // The same dialog in the dark theme (the theme toggle is behind the dialog's overlay while it is open).
        await session.SwitchToDarkAsync();
        await page.GetByTestId("connect-external-data").ClickAsync();
        await dialog.GetByTestId("connect-path").FillAsync(file);
        await dialog.GetByTestId("connect-preview").ClickAsync();
        await Expect(dialog.GetByTestId("connect-row")).ToHaveCountAsync(50, new() { Timeout = 15_000 });
        await page.Mouse.MoveAsync(700, 760);
        await Screenshots.SaveAsync(page, "connect-external-data-dark");
        await dialog.GetByTestId("connect-cancel").ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);
        await Expect(editor).ToContainTextAsync("INSERT INTO \"e2e_connect_wiki\"");

        await page.GetByTestId("run-query").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/query/query-"), new() { Timeout = 15_000 });
        var execution = page.GetByTestId("query-execution");
        await Expect(execution).ToHaveAttributeAsync("data-status", "SUCCESS", new() { Timeout = 90_000 });
        await Expect(execution.GetByTestId("ingestion-summary")).ToContainTextAsync("39,244 rows into e2e_connect_wiki");
        session.AssertNoProblems();
    }
}
