using MudBlazor;

namespace Dashboard.Components.Layout;

/// <summary>One section of the dashboard: where it lives, its icon, and one sentence an operator can act on.</summary>
public sealed record NavSection(string Title, string Href, string Icon, string Summary);

/// <summary>The dashboard's sections; the drawer, the home page and the pages' headings all read these.</summary>
public static class NavSections
{
    public static NavSection Tasks { get; } = new("Tasks", "tasks", Icons.Material.Outlined.ListAlt,
        "Ingestion tasks by state, with their payloads, logs and reports.");

    public static NavSection Query { get; } = new("Query", "query", Icons.Material.Outlined.Terminal,
        "A Druid SQL workbench for queries and SQL-based ingestion.");

    public static NavSection Datasources { get; } = new("Datasources", "datasources", Icons.Material.Outlined.Dataset,
        "Datasources with their time chunks, segments and sizes.");

    public static NavSection Services { get; } = new("Services", "services", Icons.Material.Outlined.Dns,
        "Workers with their task slots and running tasks, and the cluster's data servers.");

    public static NavSection Wall { get; } = new("Wall screen", "wall", Icons.Material.Outlined.Tv,
        "A full-screen, read-only overview for a wall display.");

    /// <summary>In navigation order.</summary>
    public static IReadOnlyList<NavSection> All { get; } = [Tasks, Query, Datasources, Services, Wall];
}
