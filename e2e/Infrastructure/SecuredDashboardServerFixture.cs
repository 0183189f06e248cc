namespace Dashboard.E2E.Infrastructure;

/// <summary>A dashboard with users (an admin and a viewer from configuration), for the sign-in flow and role gating.</summary>
public sealed class SecuredDashboardServerFixture : DashboardServerFixture
{
    public const string AdminPassword = "e2e-admin-Pa55";
    public const string ViewerPassword = "e2e-viewer-Pa55";
    public const string WikiReaderPassword = "e2e-wiki-reader-Pa55";

    protected override IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Security:Users:0:Name"] = "admin",
        ["Security:Users:0:Password"] = AdminPassword,
        ["Security:Users:0:Role"] = "Admin",
        ["Security:Users:1:Name"] = "viewer",
        ["Security:Users:1:Password"] = ViewerPassword,
        ["Security:Users:1:Role"] = "Viewer",
        // A viewer narrowed to the e2e_wiki datasources (a regular expression, as Druid's basic authorizer takes).
        ["Security:Users:2:Name"] = "wikireader",
        ["Security:Users:2:Password"] = WikiReaderPassword,
        ["Security:Users:2:Role"] = "Viewer",
        ["Security:Users:2:Permissions:0:DataSource"] = "e2e_wiki.*",
        ["Security:Users:2:Permissions:0:Actions:0"] = "READ",
    };
}
