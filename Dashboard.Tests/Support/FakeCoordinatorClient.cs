using Dashboard.Core.Clients;
using Dashboard.Core.Segments;

namespace Dashboard.Tests.Support;

/// <summary>An <see cref="ICoordinatorClient"/> that answers from what the test put in it, for component tests.</summary>
public sealed class FakeCoordinatorClient : ICoordinatorClient
{
    public List<DataSourceOverview> Overviews { get; } = [];
    public List<SegmentEntry> Segments { get; } = [];
    public List<DataSourceColumn> Schema { get; } = [];

    public Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Overviews.Select(o => o.Summary.Name).ToList());

    public Task<DataSourceSummary?> GetDataSourceAsync(string dataSource, CancellationToken cancellationToken) =>
        Task.FromResult(Overviews.FirstOrDefault(o => o.Summary.Name == dataSource)?.Summary);

    public Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DataSegment>>(Segments.Select(s => s.Segment).ToList());

    public Task<IReadOnlyList<DataSourceOverview>> GetDataSourceOverviewsAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DataSourceOverview>>(Overviews.ToList());

    public Task<IReadOnlyList<SegmentEntry>> GetSegmentTimelineAsync(string dataSource, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<SegmentEntry>>(Segments.ToList());

    public Task<SegmentPage> GetSegmentPageAsync(string dataSource, int offset, int limit, CancellationToken cancellationToken) =>
        Task.FromResult(new SegmentPage(Segments.Skip(offset).Take(limit).ToList(), Segments.Count));

    public List<ServerSummary> Servers { get; } = [];

    public Task<IReadOnlyList<ServerSummary>> GetServersAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ServerSummary>>(Servers.ToList());

    public Task<IReadOnlyList<DataSourceColumn>> GetSchemaAsync(string dataSource, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DataSourceColumn>>(Schema.ToList());
}
