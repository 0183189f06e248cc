using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Tests.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>TaskDetail over a real overlord (its client and feed): the Reports tab of a running SQL ingestion shows its stage definitions, password masked.</summary>
public sealed class TaskDetailSecretsTests : ComponentTestBase, IClassFixture<SecretsServer>
{
    private readonly SecretsServer _server;

    public TaskDetailSecretsTests(SecretsServer server)
        : base(services: s => s
            .AddSingleton(server.Server.Services.GetRequiredService<IOverlordClient>())
            .AddSingleton(server.Server.Services.GetRequiredService<ITaskFeed>()))
    {
        _server = server;
    }

    [Fact]
    public async Task ReportsTab_LiveMsqStageDefinitions_ShowTheExternPasswordMasked()
    {
        var dataSource = SecretsServer.Unique("sec_page");
        await _server.HoldChunkAsync(dataSource, 4000);
        var id = await _server.SubmitSqlAsync(_server.ExternInsertSql(dataSource));

        var page = RenderPage<TaskDetail>(p => p.Add(d => d.TaskId, id));
        page.WaitForAssertion(() => Assert.Contains(page.FindAll(".mud-tab"), t => t.TextContent.Trim() == "Reports"), TimeSpan.FromSeconds(10));
        await page.InvokeAsync(() => page.FindAll(".mud-tab").Single(t => t.TextContent.Trim() == "Reports").Click());

        // While the INSERT waits for the chunk's lock, its live report (from the feed) carries the stage definitions.
        page.WaitForAssertion(() =>
        {
            Assert.Contains("live: updates while the task runs", page.Markup);
            Assert.Contains(ReportValues(page), v => v.Contains("\"status\": \"RUNNING\"") && v.Contains("\"definition\"")
                                                     && v.Contains("\"httpAuthenticationPassword\": \"<masked>\""));
        }, TimeSpan.FromSeconds(30));
        Assert.DoesNotContain(ReportValues(page), v => v.Contains(SecretsServer.Secret));
        Assert.DoesNotContain(SecretsServer.Secret, page.Markup);

        await _server.WaitForSuccessAsync(id);
        page.WaitForAssertion(() => Assert.DoesNotContain("live: updates while the task runs", page.Markup), TimeSpan.FromSeconds(10));
        Assert.Contains(ReportValues(page), v => v.Contains("\"httpAuthenticationPassword\": \"<masked>\""));
        Assert.DoesNotContain(ReportValues(page), v => v.Contains(SecretsServer.Secret));
        Assert.DoesNotContain(SecretsServer.Secret, page.Markup);
    }

    private static List<string> ReportValues(IRenderedComponent<TaskDetail> page) =>
        page.FindComponents<JsonEditor>().Select(e => e.Instance.Value).Where(v => v.Contains("multiStageQuery")).ToList();
}
