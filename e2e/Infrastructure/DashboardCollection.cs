namespace Dashboard.E2E.Infrastructure;

/// <summary>Tests in this collection share one running server and one browser.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardServerFixture>, ICollectionFixture<BrowserFixture>
{
    public const string Name = "Dashboard";
}
