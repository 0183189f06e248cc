using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Query;

namespace Dashboard.Core.Cluster;

public sealed partial class DruidHttpOverlordClient
{
    /// <summary>The request Druid's broker answers at <c>POST /druid/v2/sql</c>: resultFormat array with a header row.</summary>
    public static JsonObject SqlQueryBody(SqlQueryRequest request)
    {
        var body = new JsonObject
        {
            ["query"] = request.Query,
            ["resultFormat"] = "array",
            ["header"] = true,
            ["context"] = request.Context.DeepClone(),
        };
        if (request.Parameters is { } parameters)
        {
            body["parameters"] = parameters.DeepClone();
        }

        return body;
    }

    /// <summary>Posts the query to the cluster's broker (through the router) and keeps its first rows.</summary>
    public async Task<SqlQueryResult> QuerySqlAsync(SqlQueryRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, "druid/v2/sql");
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        message.Content = new StringContent(SqlQueryBody(request).ToJsonString(DruidJson.Options), Encoding.UTF8, "application/json");
        var (content, headers) = await SendWithHeadersAsync(message, cancellationToken).ConfigureAwait(false);
        var rows = (JsonNode.Parse(content) as JsonArray ?? throw MissingField("rows")).OfType<JsonArray>().ToList();
        var columns = rows.Count > 0 ? rows[0].Select(c => c?.ToString() ?? "").ToList() : [];
        var data = rows.Skip(1).Take(SqlQueryResult.MaxRows).ToList();
        var id = headers.TryGetValues("X-Druid-SQL-Query-Id", out var ids) ? ids.FirstOrDefault() ?? "" : "";
        return new SqlQueryResult(id, columns, data, rows.Count - 1 > SqlQueryResult.MaxRows);
    }
}
