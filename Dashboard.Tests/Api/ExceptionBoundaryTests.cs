using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Api;

/// <summary>
/// An unexpected exception anywhere in a request (here: the overlord client, called by the authorization middleware
/// for task paths and by the endpoint for task lists) is a logged 500 with a correlation id, never its message.
/// </summary>
public sealed class ExceptionBoundaryTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private ServerFixture _server = null!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_dir.Path, services: s => FailingOverlordClient.Install(s, nameof(global::Dashboard.Core.Clients.IOverlordClient.GetTaskStatusAsync)));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task ExceptionInMiddleware_IsDruidShaped500_WithCorrelationIdInHeaderBodyAndLog()
    {
        // DruidAuthorizationMiddleware asks the client for the task's datasource before the endpoint runs.
        var response = await _server.Client.GetAsync("/druid/indexer/v1/task/some_task/status");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonNode.Parse(text)!.AsObject();
        var correlationId = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.Equal("druidException", body["error"]!.GetValue<string>());
        Assert.Equal(correlationId, body["context"]!["correlationId"]!.GetValue<string>());
        Assert.Contains(correlationId, body["errorMessage"]!.GetValue<string>());
        AssertLeaksNothing(text);
        Assert.Contains(_server.Logs.Lines, line => line.Contains(correlationId) && line.Contains(FailingOverlordClient.Secret));
    }

    [Fact]
    public async Task ExceptionOnPage_IsStyledErrorPage_WithTheCorrelationId()
    {
        var response = await _server.Client.GetAsync("/tasks/some_task");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var correlationId = Assert.Single(response.Headers.GetValues("X-Correlation-Id"));
        Assert.Contains("Something went wrong", html);
        Assert.Contains(correlationId, html);
        AssertLeaksNothing(html);
        Assert.Contains(_server.Logs.Lines, line => line.Contains(correlationId) && line.Contains(FailingOverlordClient.Secret));
    }

    private static void AssertLeaksNothing(string body)
    {
        Assert.DoesNotContain("s3cr3t", body);
        Assert.DoesNotContain("/var/lib", body);
        Assert.DoesNotContain("InvalidOperationException", body);
        Assert.DoesNotContain(" at Dashboard.", body);
    }
}
