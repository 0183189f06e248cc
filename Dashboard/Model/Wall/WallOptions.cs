using Microsoft.AspNetCore.WebUtilities;

namespace Dashboard.Model.Wall;

/// <summary>
/// What the wall screen's URL chooses: <c>ds</c> (one datasource, or all), <c>theme</c> (<c>dark</c>, the default, or
/// <c>light</c>), <c>rotate</c> (seconds per panel: the kiosk playlist; 0 or absent shows every panel at once) and
/// <c>panels</c> (which panels, in order: <c>activity</c>, <c>ingestions</c>, <c>failures</c>); <c>capacity=1</c> adds a
/// tile with the share of task slots in use.
/// </summary>
public sealed record WallOptions(string? DataSource, bool Dark, TimeSpan? Rotation, IReadOnlyList<string> Panels)
{
    public const string Activity = "activity";
    public const string Ingestions = "ingestions";
    public const string Failures = "failures";

    public static IReadOnlyList<string> AllPanels { get; } = [Activity, Ingestions, Failures];

    public static WallOptions Default { get; } = new(null, true, null, AllPanels);

    /// <summary>Shows the optional capacity tile (slots in use, as a share of all).</summary>
    public bool Capacity { get; init; }

    public static WallOptions FromUri(string uri)
    {
        var query = QueryHelpers.ParseQuery(new Uri(uri).Query);
        string? Get(string key) => query.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

        var panels = (Get("panels") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.ToLowerInvariant()).Where(AllPanels.Contains).Distinct().ToList();
        var rotate = int.TryParse(Get("rotate"), out var seconds) && seconds > 0 ? TimeSpan.FromSeconds(Math.Max(5, seconds)) : (TimeSpan?)null;
        return new WallOptions(Get("ds"), !string.Equals(Get("theme"), "light", StringComparison.OrdinalIgnoreCase), rotate,
            panels.Count > 0 ? panels : AllPanels)
        {
            Capacity = Get("capacity") is "1" or "true" or "on",
        };
    }

    /// <summary>The panels on screen at <paramref name="elapsed"/> since the wall opened: one at a time when rotating.</summary>
    public IReadOnlyList<string> PanelsAt(TimeSpan elapsed) =>
        Rotation is { } every && Panels.Count > 1 ? [Panels[(int)(elapsed.Ticks / every.Ticks % Panels.Count)]] : Panels;
}
