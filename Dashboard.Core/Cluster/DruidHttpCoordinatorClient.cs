using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Segments;

namespace Dashboard.Core.Cluster;

/// <summary>
/// <see cref="ICoordinatorClient"/> over the cluster's coordinator API (through the router). Druid's datasource summary
/// has no row count, so <see cref="DataSourceSummary.Rows"/> is -1 (unknown) in cluster mode.
/// </summary>
public sealed class DruidHttpCoordinatorClient(HttpClient http, DruidClusterOptions options) : ICoordinatorClient
{
    /// <summary>The value of a count the cluster does not report.</summary>
    public const long Unknown = -1;

    private const string V1 = "druid/coordinator/v1";
    private readonly string _host = options.DisplayHost();

    public async Task<IReadOnlyList<ServerSummary>> GetServersAsync(CancellationToken cancellationToken) =>
        ServerSummary.ListFromJson(await GetJsonAsync($"{V1}/servers?simple", cancellationToken).ConfigureAwait(false));

    public async Task<IReadOnlyList<string>> GetDataSourcesAsync(CancellationToken cancellationToken) =>
        (await GetJsonAsync($"{V1}/datasources", cancellationToken).ConfigureAwait(false))?.Deserialize<List<string>>(DruidJson.Options) ?? [];

    public async Task<DataSourceSummary?> GetDataSourceAsync(string dataSource, CancellationToken cancellationToken)
    {
        if (await GetJsonAsync($"{V1}/datasources/{Uri.EscapeDataString(dataSource)}", cancellationToken).ConfigureAwait(false) is not JsonObject answer
            || answer["segments"] is not JsonObject segments)
        {
            return null;
        }

        static DateTimeOffset? Time(JsonNode? n) => n is JsonValue v && DruidTime.TryParse(v.ToString(), out var t) ? t : null;
        return new DataSourceSummary(dataSource, segments["count"]?.GetValue<int>() ?? 0, segments["size"]?.GetValue<long>() ?? 0, Unknown,
            Time(segments["minTime"]), Time(segments["maxTime"]));
    }

    public async Task<IReadOnlyList<DataSegment>> GetUsedSegmentsAsync(string dataSource, CancellationToken cancellationToken)
    {
        var answer = await GetJsonAsync($"{V1}/metadata/datasources/{Uri.EscapeDataString(dataSource)}/segments?full", cancellationToken).ConfigureAwait(false);
        if (answer is not JsonArray segments)
        {
            return [];
        }

        foreach (var segment in segments.OfType<JsonObject>().Where(s => !s.ContainsKey("totalRows")))
        {
            segment["totalRows"] = Unknown;
        }

        return segments.Deserialize<List<DataSegment>>(DruidJson.Options) ?? [];
    }

    /// <summary>Summaries of every data source; a cluster does not say which task published last, so that is unknown.</summary>
    public async Task<IReadOnlyList<DataSourceOverview>> GetDataSourceOverviewsAsync(CancellationToken cancellationToken)
    {
        var overviews = new List<DataSourceOverview>();
        foreach (var name in await GetDataSourcesAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await GetDataSourceAsync(name, cancellationToken).ConfigureAwait(false) is { } summary)
            {
                overviews.Add(new DataSourceOverview(summary, null, null));
            }
        }

        return overviews;
    }

    public async Task<IReadOnlyList<SegmentEntry>> GetSegmentTimelineAsync(string dataSource, CancellationToken cancellationToken) =>
        SegmentEntry.Classify((await GetUsedSegmentsAsync(dataSource, cancellationToken).ConfigureAwait(false)).Select(s => (s, (string?)null, (DateTimeOffset?)null)));

    public async Task<SegmentPage> GetSegmentPageAsync(string dataSource, int offset, int limit, CancellationToken cancellationToken) =>
        SegmentPage.Of(await GetSegmentTimelineAsync(dataSource, cancellationToken).ConfigureAwait(false), offset, limit);

    /// <summary>The newest visible segment's columns as the cluster's metadata lists them; their types are not reported.</summary>
    public async Task<IReadOnlyList<DataSourceColumn>> GetSchemaAsync(string dataSource, CancellationToken cancellationToken)
    {
        var visible = SegmentTimeline.Visible(await GetUsedSegmentsAsync(dataSource, cancellationToken).ConfigureAwait(false));
        var newest = visible.OrderByDescending(s => s.Version, StringComparer.Ordinal).ThenByDescending(s => s.Interval.Start).FirstOrDefault();
        if (newest is null)
        {
            return [];
        }

        static IEnumerable<string> Names(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new[] { new DataSourceColumn("__time", "TIMESTAMP") }
            .Concat(Names(newest.Dimensions).Concat(Names(newest.Metrics)).Select(n => new DataSourceColumn(n, "unknown"))).ToList();
    }

    private async Task<JsonNode?> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw DruidErrors.Unreachable(_host, ex);
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw DruidErrors.FromResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
            }

            return body.Length == 0 ? null : JsonNode.Parse(Encoding.UTF8.GetBytes(body));
        }
    }
}
