using Dashboard.Components.Layout;
using Dashboard.Core.Cluster;

namespace Dashboard.Hosting;

/// <summary>Which overlord the dashboard administers: the embedded one, or a Druid cluster (named by host, never credentials).</summary>
public sealed record DashboardMode(bool IsCluster, string? ClusterHost)
{
    public static DashboardMode Embedded { get; } = new(false, null);

    public static DashboardMode Cluster(DruidClusterOptions options) => new(true, options.DisplayHost());

    /// <summary>The app bar's mode chip: <c>Embedded</c> or <c>Cluster: host</c>.</summary>
    public string ChipText => IsCluster ? $"Cluster: {ClusterHost}" : ShellContext.EmbeddedMode;
}
