using System.Text.Json.Nodes;
using Dashboard.Core.Errors;
using Dashboard.Core.Query;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Core.Clients;

public sealed partial class InProcessOverlordClient
{
    /// <summary>Runs the query on the embedded interactive engine (no task) and keeps its first rows.</summary>
    public async Task<SqlQueryResult> QuerySqlAsync(SqlQueryRequest request, CancellationToken cancellationToken)
    {
        // Resolved on use: the engine's system tables read the tasks through this client.
        var sql = services.GetRequiredService<InteractiveSqlEngine>();
        try
        {
            await using var cursor = await sql.StartAsync(request, cancellationToken).ConfigureAwait(false);
            var columns = cursor.Columns.Select(c => c.Name).ToList();
            var rows = new List<JsonArray>();
            var truncated = false;
            while (await cursor.ReadAsync().ConfigureAwait(false))
            {
                if (rows.Count == SqlQueryResult.MaxRows)
                {
                    truncated = true;
                    break;
                }

                rows.Add(new JsonArray(Enumerable.Range(0, columns.Count).Select(cursor.Value).ToArray()));
            }

            return new SqlQueryResult(cursor.SqlQueryId, columns, rows, truncated);
        }
        catch (SqlQueryException ex)
        {
            // Capacity, timeout, cancellation and runtime failures: Druid's legacy query error (error, errorMessage, errorClass).
            throw new DruidException(ex.StatusCode, ErrorBodyShape.ErrorMap, ex.Message, ex.ErrorCode);
        }
    }
}
