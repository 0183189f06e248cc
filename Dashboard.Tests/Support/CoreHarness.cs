using System.Text.Json.Nodes;
using Dashboard.Core;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Core.Overlord;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Dashboard.Tests.Support;

/// <summary>
/// The embedded overlord built from the same DI registration the server uses, on a given data dir, without HTTP.
/// Dispose it to stop the overlord as the host would; build another on the same dir to "restart".
/// </summary>
public sealed class CoreHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted;

    private CoreHarness(ServiceProvider services)
    {
        _services = services;
        _hosted = services.GetServices<IHostedService>().ToList();
    }

    public ControlledTaskFactory Controlled => _services.GetRequiredService<ControlledTaskFactory>();
    public IOverlordClient Client => _services.GetRequiredService<IOverlordClient>();
    public TaskQueue Queue => _services.GetRequiredService<TaskQueue>();
    public TaskFeed Feed => _services.GetRequiredService<TaskFeed>();
    public SqliteMetadataStore Store => _services.GetRequiredService<SqliteMetadataStore>();
    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public static async Task<CoreHarness> StartAsync(string dataDir, int workerCapacity = 2, IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Overlord:DataDir"] = dataDir,
            ["Overlord:WorkerCapacity"] = workerCapacity.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddLogging()
            .AddEmbeddedOverlord(configuration);
        services.AddSingleton<ControlledTaskFactory>();
        services.AddSingleton<ITaskFactory>(sp => sp.GetRequiredService<ControlledTaskFactory>());
        configure?.Invoke(services);

        var harness = new CoreHarness(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
        foreach (var hosted in harness._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }

        return harness;
    }

    public Task<string> SubmitAsync(string json) => Client.SubmitTaskAsync(JsonNode.Parse(json)!.AsObject(), CancellationToken.None);

    public Task<TaskStatusPlus> StatusAsync(string id) => Client.GetTaskStatusAsync(id, CancellationToken.None);

    /// <summary>Waits for a runner state (WAITING, PENDING, RUNNING) or a completion (SUCCESS, FAILED, CANCELED).</summary>
    public Task<TaskStatusPlus> WaitForAsync(string id, string state) =>
        Eventually.WaitForAsync(() => StatusAsync(id),
            s => s.DisplayStatus == state || (s.StatusCode is TaskState.SUCCESS or TaskState.FAILED && s.StatusCode.ToString() == state),
            what: $"task {id} to be {state}");

    /// <summary>Drops the overlord without its orderly stop, as a killed process would: active tasks stay active in the store.</summary>
    public async Task SimulateCrashAsync() => await _services.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in Enumerable.Reverse(_hosted))
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
    }
}
