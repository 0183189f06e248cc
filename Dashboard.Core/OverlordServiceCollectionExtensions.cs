using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Segments;
using Dashboard.Core.Overlord;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dashboard.Core;

/// <summary>Registers the embedded overlord: store, logs, lockbox, runner, queue, feed and the in-process client.</summary>
public static class OverlordServiceCollectionExtensions
{
    public static IServiceCollection AddEmbeddedOverlord(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OverlordOptions>().Bind(configuration.GetSection(OverlordOptions.Section));
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton<DataDirectory>();
        services.AddSingleton<SqliteMetadataStore>();
        services.AddSingleton<ITaskStorage>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<ISegmentMetadataStore>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<IAuditLog>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<Security.IUserStore>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<ITaskPageStorage>(sp => sp.GetRequiredService<SqliteMetadataStore>());
        services.AddSingleton<FileTaskLogs>();

        services.AddSingleton<TaskFeed>();
        services.AddSingleton<ITaskFeed>(sp => sp.GetRequiredService<TaskFeed>());
        services.AddSingleton<TaskLocationProvider>();
        services.AddSingleton<TaskLockbox>();
        services.AddSingleton(sp => new Metrics.DruidMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton<Metrics.TaskMetrics>();
        services.AddSingleton<TaskRunner>();
        services.TryAddSingleton<Security.ISecretProtector, Security.EphemeralSecretProtector>();
        services.AddSingleton<Security.TaskPayloadSecrets>();
        services.AddSingleton<TaskQueue>();
        services.AddSingleton<TaskQueryTool>();
        services.AddSingleton<TaskPageReader>();

        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section));
        services.AddSingleton<LocalDeepStorage>();
        services.AddSingleton<SegmentAllocator>();
        services.AddSingleton<LocalInputRules>();
        services.AddSingleton<OutboundHttpRules>();
        services.AddSingleton<InputSourceRules>();
        services.AddOutboundHttp();
        services.AddSingleton<InputResolver>();
        services.AddSingleton<Ingestion.Sampling.SampleInputReader>();
        services.AddSingleton<Ingestion.Sampling.InputSampler>();
        services.AddSingleton<Engine.TaskBudget>();
        services.AddSingleton<Engine.DuckDbSessionFactory>();
        services.AddSingleton<DuckDbIngestionEngine>();
        services.AddSingleton<IngestionServices>();

        services.AddSingleton<ITaskFactory, NoopTask.Factory>();
        services.AddSingleton<ITaskFactory>(sp => new IndexParallelTask.Factory(sp.GetRequiredService<IngestionServices>(), "index_parallel"));
        services.AddSingleton<ITaskFactory>(sp => new IndexParallelTask.Factory(sp.GetRequiredService<IngestionServices>(), "index"));
        services.AddSingleton<ITaskFactory, SinglePhaseSubTask.Factory>();
        services.AddSingleton<Segments.VisibleSegmentCache>();
        services.AddSingleton<Msq.Execution.MsqPlanner>();
        services.AddSingleton<Msq.Execution.MsqSubmitter>();
        services.AddOptions<Query.SqlQueryOptions>().Bind(configuration.GetSection(Query.SqlQueryOptions.Section));
        services.AddSingleton<Query.SystemTableRows>();
        services.AddSingleton<Query.InteractiveSqlEngine>();
        services.AddSingleton<ITaskFactory, Msq.Execution.MsqControllerTask.Factory>();
        services.AddSingleton<ITaskFactory, Msq.Execution.MsqWorkerTask.Factory>();
        services.AddSingleton<TaskTypeRegistry>();

        services.AddSingleton<IOverlordClient, InProcessOverlordClient>();
        services.AddSingleton<ICoordinatorClient, InProcessCoordinatorClient>();
        services.AddHostedService<OverlordService>();
        return services;
    }

    /// <summary>
    /// Ingestion's one HttpClient (<see cref="OutboundHttpClient.Name"/>): its handler connects only to addresses
    /// <see cref="OutboundHttpConnector"/> checked, follows no redirect itself (<see cref="OutboundHttpClient"/> does,
    /// hop by hop), uses no proxy (a proxy would be the address checked instead of the target) and no cookies; the
    /// factory's request logging is off, as URIs may carry secrets.
    /// </summary>
    private static void AddOutboundHttp(this IServiceCollection services)
    {
        services.AddSingleton<OutboundHttpConnector>();
        services.AddSingleton<OutboundHttpClient>();
        services.AddHttpClient(OutboundHttpClient.Name, client => client.Timeout = TimeSpan.FromMinutes(30))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseProxy = false,
                UseCookies = false,
                ConnectTimeout = TimeSpan.FromSeconds(30),
                ConnectCallback = sp.GetRequiredService<OutboundHttpConnector>().ConnectAsync,
            })
            .RemoveAllLoggers();
    }
}
