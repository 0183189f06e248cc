using Dashboard.Core.Clients;
using Dashboard.Core.Cluster;
using Dashboard.Hosting;

namespace Dashboard.Model;

/// <summary>
/// What the Services page shows: the workers with their task slots and the data servers. Embedded, it reads this
/// server's one worker from the in-process overlord (no request); in cluster mode, the copy the one poller keeps
/// (<see cref="ClusterServicesSource"/>), so opening the page adds no request to the cluster.
/// </summary>
public sealed class ServicesView(DashboardMode mode, Security.ReadScope scope, TimeProvider time, IServiceProvider services)
{
    private ClusterServicesSource? Cluster => mode.IsCluster ? services.GetRequiredService<ClusterServicesSource>() : null;

    /// <summary>Raised (cluster mode) when the poller has read a new list; embedded pages follow the task feed instead.</summary>
    public event Action? Changed
    {
        add { if (Cluster is { } c) c.Changed += value; }
        remove { if (Cluster is { } c) c.Changed -= value; }
    }

    public bool IsCluster => mode.IsCluster;

    public async Task<ServicesSnapshot> ReadAsync(CancellationToken cancellationToken)
    {
        if (Cluster is { } cluster)
        {
            return cluster.Latest;
        }

        var workers = await scope.Overlord.GetWorkersAsync(cancellationToken);
        var servers = await scope.Coordinator.GetServersAsync(cancellationToken);
        return new ServicesSnapshot(workers, servers, time.GetUtcNow());
    }
}

public static class ServicesViewExtensions
{
    public static IServiceCollection AddServicesView(this IServiceCollection services) => services.AddScoped<ServicesView>();
}
