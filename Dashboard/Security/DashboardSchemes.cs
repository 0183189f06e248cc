namespace Dashboard.Security;

/// <summary>The authentication schemes and the paths that choose between them.</summary>
public static class DashboardSchemes
{
    /// <summary>Chooses one of the others per request.</summary>
    public const string Default = "Druid";

    /// <summary>HTTP Basic, as Druid's basic-security extension takes it: the API and the push hub.</summary>
    public const string Basic = "Basic";

    /// <summary>The dashboard's session cookie, set by the login page.</summary>
    public const string Cookie = "Cookies";

    /// <summary>No users at all: everyone is the anonymous admin.</summary>
    public const string Open = "Open";

    public const string CookieName = ".Overlord.Session";

    /// <summary>
    /// Druid's HTTP API and this server's additions to it (the Prometheus scrape endpoint among them): Basic only (a cookie
    /// never authorizes an API call, so no CSRF).
    /// </summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/druid") || path.StartsWithSegments("/druid-ext") || path.StartsWithSegments("/status")
        || path.StartsWithSegments(MetricsPath);

    /// <summary>Where Prometheus scrapes this server.</summary>
    public const string MetricsPath = "/metrics";

    public static bool IsHubPath(PathString path) => path.StartsWithSegments("/hubs");
}
