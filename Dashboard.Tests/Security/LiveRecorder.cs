using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Feed;
using Dashboard.Tests.Support;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Security;

/// <summary>
/// Records, as JSON text, every event a server publishes: on its <see cref="ITaskFeed"/> (what pages see) and on the
/// SignalR hub through a real client subscribed to everything (what other programs see).
/// </summary>
public sealed class LiveRecorder : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly HubConnection _hub;
    private readonly Task _feedListener;

    private LiveRecorder(ServerFixture server)
    {
        var feed = server.Services.GetRequiredService<ITaskFeed>();
        _feedListener = Task.Run(async () =>
        {
            try
            {
                await foreach (var e in feed.SubscribeAsync(_stop.Token))
                {
                    Feed.Enqueue(e);
                }
            }
            catch (OperationCanceledException)
            {
            }
        });
        _hub = new HubConnectionBuilder().WithUrl(new Uri(server.BaseAddress, "/hubs/tasks")).Build();
        _hub.On<JsonElement>("taskStatusChanged", m => Hub.Enqueue(("taskStatusChanged", Readable(m))));
        _hub.On<JsonElement>("taskReportUpdated", m => Hub.Enqueue(("taskReportUpdated", Readable(m))));
        FeedSubscribers = () => server.Services.GetRequiredService<TaskFeed>().SubscriberCount;
    }

    public ConcurrentQueue<FeedEvent> Feed { get; } = new();

    public ConcurrentQueue<(string Method, string Json)> Hub { get; } = new();

    private Func<int> FeedSubscribers { get; }

    public static async Task<LiveRecorder> StartAsync(ServerFixture server)
    {
        var before = server.Services.GetRequiredService<TaskFeed>().SubscriberCount;
        var recorder = new LiveRecorder(server);
        await recorder._hub.StartAsync();
        await recorder._hub.InvokeAsync("SubscribeAll");
        await Eventually.WaitForAsync(() => Task.FromResult(recorder.FeedSubscribers()), n => n > before, what: "the feed subscription");
        return recorder;
    }

    /// <summary>Every feed event as JSON text (reports as they were published, statuses as lists show them).</summary>
    public IReadOnlyList<string> FeedTexts() => Feed.Select(e => e switch
    {
        TaskReportUpdated r => r.Report.ToJsonString(DruidJson.Options),
        TaskStatusChanged s => JsonSerializer.Serialize(s.Task, DruidJson.Options),
        _ => JsonSerializer.Serialize(e, e.GetType(), DruidJson.Options),
    }).ToList();

    public IReadOnlyList<string> FeedReports(string taskId) =>
        Feed.OfType<TaskReportUpdated>().Where(r => r.TaskId == taskId).Select(r => r.Report.ToJsonString(DruidJson.Options)).ToList();

    public IReadOnlyList<string> HubReports(string taskId) =>
        Hub.Where(m => m.Method == "taskReportUpdated" && m.Json.Contains($"\"taskId\":\"{taskId}\"", StringComparison.Ordinal)).Select(m => m.Json).ToList();

    public IReadOnlyList<string> TaskIds() => Feed.OfType<TaskStatusChanged>().Select(s => s.Task.Id).Distinct().ToList();

    // The hub's JSON escapes '<' and '>': re-written unescaped, so "<masked>" reads as it does elsewhere.
    private static string Readable(JsonElement message) => JsonNode.Parse(message.GetRawText())!.ToJsonString(DruidJson.Options);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _feedListener;
        await _hub.DisposeAsync();
        _stop.Dispose();
    }
}
