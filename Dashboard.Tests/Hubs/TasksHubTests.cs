using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Dashboard.Tests.Hubs;

public sealed class TasksHubTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private ServerFixture _server = default!;

    public Task InitializeAsync()
    {
        _server = new ServerFixture(_dir.Path, workerCapacity: 1);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task SubscribeTask_DotNetClient_ReceivesTheTasksTransitionsInOrder()
    {
        var received = new ConcurrentQueue<JsonElement>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = Connect();
        connection.On<JsonElement>("taskStatusChanged", message =>
        {
            received.Enqueue(message);
            if (message.GetProperty("displayStatus").GetString() is "SUCCESS" or "FAILED")
            {
                done.TrySetResult();
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeTask", "hub_task_1");

        await Submit("""{"type":"noop","id":"blocker","runTime":300}""");
        await Submit("""{"type":"noop","id":"hub_task_1","runTime":50,"dataSource":"wikipedia"}""");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var messages = received.ToList();
        Assert.All(messages, m => Assert.Equal("hub_task_1", m.GetProperty("task").GetProperty("id").GetString()));
        Assert.Equal(["WAITING", "PENDING", "RUNNING", "SUCCESS"], messages.Select(m => m.GetProperty("displayStatus").GetString()));
        Assert.Equal(["RUNNING", "RUNNING", "RUNNING", "SUCCESS"], messages.Select(m => m.GetProperty("task").GetProperty("statusCode").GetString()));
        var sequences = messages.Select(m => m.GetProperty("sequence").GetInt64()).ToList();
        Assert.Equal(sequences.Order(), sequences);
        Assert.Equal("wikipedia", messages[^1].GetProperty("task").GetProperty("dataSource").GetString());
    }

    [Fact]
    public async Task SubscribeDataSource_OnlyThatDatasourcesTasksArrive()
    {
        var received = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var connection = Connect();
        connection.On<JsonElement>("taskStatusChanged", message =>
        {
            var task = message.GetProperty("task");
            received.Enqueue(task.GetProperty("dataSource").GetString()!);
            if (task.GetProperty("id").GetString() == "ds_b_task" && message.GetProperty("displayStatus").GetString() == "SUCCESS")
            {
                done.TrySetResult();
            }
        });
        await connection.StartAsync();
        await connection.InvokeAsync("SubscribeDataSource", "ds_b");

        await Submit("""{"type":"noop","id":"ds_a_task","runTime":0,"dataSource":"ds_a"}""");
        await Submit("""{"type":"noop","id":"ds_b_task","runTime":0,"dataSource":"ds_b"}""");
        await done.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.NotEmpty(received);
        Assert.All(received, ds => Assert.Equal("ds_b", ds));
    }

    [Fact]
    public async Task SubscribeTask_EmptyId_IsRefusedWithAMessage()
    {
        await using var connection = Connect();
        await connection.StartAsync();

        var error = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync("SubscribeTask", ""));
        Assert.Contains("taskId must not be empty", error.Message);
    }

    private HubConnection Connect() =>
        new HubConnectionBuilder().WithUrl(new Uri(_server.BaseAddress, "/hubs/tasks")).Build();

    private async Task Submit(string json)
    {
        using var response = await _server.Client.PostAsync("/druid/indexer/v1/task",
            new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
