namespace Dashboard.E2E.Infrastructure;

/// <summary>A dashboard with users (an admin and a viewer from configuration), for the sign-in flow and role gating.</summary>
public sealed class SecuredDashboardServerFixture : DashboardServerFixture
{
    public const string AdminPassword = "e2e-admin-Pa55";
    public const string ViewerPassword = "e2e-viewer-Pa55";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Security:Users:0:Name"] = "admin",
        ["Security:Users:0:Password"] = AdminPassword,
        ["Security:Users:0:Role"] = "Admin",
        ["Security:Users:1:Name"] = "viewer",
        ["Security:Users:1:Password"] = ViewerPassword,
        ["Security:Users:1:Role"] = "Viewer",
    };
}
