using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Errors;
using Dashboard.Core.Query;
using Dashboard.Core.Security;
using Dashboard.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Components;

/// <summary>The workbench's interactive query goes through the read door: READ on each datasource it reads.</summary>
public sealed class InteractiveReadScopeTests : ComponentTestBase
{
    private static readonly DataSourcePermission[] WikiOnly = [new() { DataSource = "wiki.*", Actions = [DruidAction.READ] }];

    private IOverlordClient ReadDoor => Context.Services.GetRequiredService<ReadScope>().Overlord;

    [Fact]
    public async Task QuerySql_OfAnUnreadableDatasource_Is403NamingItAndNeverRuns()
    {
        await SignInAsync("nora", DruidRole.Viewer, WikiOnly);
        Overlord.SqlQueries = _ => new SqlQueryResult("q", ["n"], [new JsonArray(1)], false);

        var denied = await Assert.ThrowsAsync<DruidException>(() =>
            ReadDoor.QuerySqlAsync(new SqlQueryRequest("SELECT COUNT(*) FROM wikipedia w JOIN secret s ON w.page = s.page", new JsonObject(), null), CancellationToken.None));

        Assert.Equal(403, denied.StatusCode);
        Assert.Contains("[secret]", denied.Message);
        Assert.Empty(Overlord.SqlQueryRequests);
    }

    [Fact]
    public async Task QuerySql_OfAReadableDatasource_RunsWithTheUsersReadRuleForSystemTables()
    {
        await SignInAsync("nora", DruidRole.Viewer, WikiOnly);
        Overlord.SqlQueries = _ => new SqlQueryResult("q", ["n"], [new JsonArray(1)], false);

        var result = await ReadDoor.QuerySqlAsync(new SqlQueryRequest("SELECT COUNT(*) AS n FROM wikipedia", new JsonObject(), null), CancellationToken.None);

        Assert.Equal("q", result.SqlQueryId);
        var sent = Overlord.SqlQueryRequests.Single();
        Assert.True(sent.CanRead("wikipedia"));
        Assert.False(sent.CanRead("secret"));
    }
}
