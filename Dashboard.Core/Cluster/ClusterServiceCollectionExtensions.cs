using System.Net.Http.Headers;
using System.Text;
using Dashboard.Core.Clients;
using Dashboard.Core.Feed;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;

namespace Dashboard.Core.Cluster;

/// <summary>
/// Registers cluster mode: the HTTP clients for the cluster's overlord and coordinator APIs, the one poller that feeds
/// <see cref="ITaskFeed"/>, and the cluster's reachability. Nothing of the embedded overlord (queue, store, data dir).
/// </summary>
public static class ClusterServiceCollectionExtensions
{
    public const string HttpClientName = "druid-cluster";

    public static bool IsClusterMode(IConfiguration configuration) =>
        DruidClusterOptions.IsConfigured(configuration[$"{DruidClusterOptions.Section}:Url"]);

    public static IServiceCollection AddDruidCluster(this IServiceCollection services, IConfiguration configuration)
    {
        var options = new DruidClusterOptions();
        configuration.GetSection(DruidClusterOptions.Section).Bind(options);
        var baseUri = options.BaseUri();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options);
        services.AddSingleton<ClusterState>();
        services.AddSingleton<ClusterTaskSource>();
        services.AddSingleton<ClusterTaskPages>();
        services.AddSingleton<TaskFeed>();
        services.AddSingleton<ITaskFeed>(sp => sp.GetRequiredService<TaskFeed>());

        var http = services.AddHttpClient(HttpClientName, client =>
            {
                client.BaseAddress = baseUri;
                client.Timeout = Timeout.InfiniteTimeSpan;
                if (options.HasCredentials)
                {
                    var token = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.Username}:{options.Password}"));
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", token);
                }
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectTimeout = options.RequestTimeout,
                SslOptions = options.AllowUntrustedCertificate
                    ? new System.Net.Security.SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true }
                    : new System.Net.Security.SslClientAuthenticationOptions(),
            });

        // Request and response headers (the Authorization header among them) are never logged.
        http.RedactLoggedHeaders(_ => true);
        http.AddStandardResilienceHandler(resilience =>
        {
            resilience.AttemptTimeout.Timeout = options.RequestTimeout;
            resilience.TotalRequestTimeout.Timeout = options.RequestTimeout * 3;
            resilience.Retry.MaxRetryAttempts = 2;
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(200);
            resilience.Retry.DisableForUnsafeHttpMethods();
            resilience.CircuitBreaker.SamplingDuration = options.RequestTimeout * 2;
            resilience.CircuitBreaker.MinimumThroughput = 10;
            resilience.CircuitBreaker.FailureRatio = 0.9;
            resilience.CircuitBreaker.BreakDuration = TimeSpan.FromSeconds(2);
        });

        services.AddSingleton(sp =>
        {
            var client = new DruidHttpOverlordClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), options,
                sp.GetRequiredService<ClusterTaskPages>());
            sp.GetRequiredService<ClusterTaskSource>().ReadTasks = client.GetTasksAsync;
            return client;
        });
        services.AddSingleton<IOverlordClient>(sp => sp.GetRequiredService<DruidHttpOverlordClient>());
        services.AddSingleton<ICoordinatorClient>(sp =>
            new DruidHttpCoordinatorClient(sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName), options));
        services.AddSingleton<ClusterServicesSource>();
        services.AddSingleton(sp =>
        {
            var poller = ActivatorUtilities.CreateInstance<ClusterTaskPoller>(sp);
            poller.Services = sp.GetRequiredService<ClusterServicesSource>();
            return poller;
        });
        services.AddHostedService(sp => sp.GetRequiredService<ClusterTaskPoller>());
        return services;
    }
}
