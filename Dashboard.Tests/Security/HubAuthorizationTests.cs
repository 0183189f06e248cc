using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Security;

/// <summary>The push hub with users: Basic to connect, and a user narrowed to some datasources subscribes only to those.</summary>
public sealed class HubAuthorizationTests(SecuredServer secured) : IClassFixture<SecuredServer>
{
    private HubConnection Connect(string? user = null, string? password = null) =>
        new HubConnectionBuilder().WithUrl(new Uri(secured.Server.BaseAddress, "/hubs/tasks"), options =>
        {
            if (user is not null)
            {
                options.Headers["Authorization"] = new AuthenticationHeaderValue("Basic",
                    Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))).ToString();
            }
        }).Build();

    [Fact]
    public async Task Anonymous_CannotConnect()
    {
        await using var connection = Connect();
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Fact]
    public async Task Viewer_SubscribesToEverything()
    {
        await using var connection = Connect("viewer", SecuredServer.ViewerPassword);
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeAll");
        await connection.InvokeAsync("SubscribeDataSource", "billing");
    }

    [Fact]
    public async Task LimitedUser_SubscribesOnlyToItsDatasources()
    {
        await using var connection = Connect("limited", SecuredServer.LimitedPassword);
        await connection.StartAsync();

        await connection.InvokeAsync("SubscribeDataSource", "wiki_edits");
        var all = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("SubscribeAll"));
        Assert.Contains("Unauthorized", all.Message);
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("SubscribeDataSource", "billing"));
        await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("SubscribeTask", "no_such_task"));
    }
}
