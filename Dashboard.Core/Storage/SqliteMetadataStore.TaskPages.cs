using System.Text;
using Dashboard.Core.Clients;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Storage;

/// <summary>The dashboard's paged task queries (complete tasks; the queue adds the active ones).</summary>
public sealed partial class SqliteMetadataStore : ITaskPageStorage
{
    private const string StatusRankSql =
        "CASE WHEN status_code = 'SUCCESS' THEN 5 WHEN error_msg = @cancel THEN 4 ELSE 3 END";

    public async Task<CompleteTaskPage> QueryCompletePageAsync(CompleteTaskPageFilter filter, int offset, int limit, CancellationToken cancellationToken)
    {
        var parameters = new List<(string, object?)> { ("@cancel", TaskMessages.ShutdownRequestFromUser) };
        var where = new StringBuilder("active = 0");
        if (filter.DataSource is not null)
        {
            where.Append(" AND datasource = @ds");
            parameters.Add(("@ds", filter.DataSource));
        }

        if (filter.DataSources is { } allowed)
        {
            // One parameter however many names: a JSON array, read by SQLite's json_each.
            where.Append(" AND datasource IN (SELECT value FROM json_each(@dss))");
            parameters.Add(("@dss", System.Text.Json.JsonSerializer.Serialize(allowed)));
        }

        if (filter.Type is not null)
        {
            where.Append(" AND type = @type");
            parameters.Add(("@type", filter.Type));
        }

        if (filter.GroupId is not null)
        {
            where.Append(" AND group_id = @group");
            parameters.Add(("@group", filter.GroupId));
        }

        if (!string.IsNullOrEmpty(filter.IdContains))
        {
            where.Append(@" AND id LIKE @idLike ESCAPE '\'");
            parameters.Add(("@idLike", "%" + filter.IdContains.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_") + "%"));
        }

        if (filter.CreatedFrom is { } from)
        {
            where.Append(" AND created_ms >= @from");
            parameters.Add(("@from", from.ToUnixTimeMilliseconds()));
        }

        if (filter.CreatedTo is { } to)
        {
            where.Append(" AND created_ms < @to");
            parameters.Add(("@to", to.ToUnixTimeMilliseconds()));
        }

        await using var connection = await OpenAsync(cancellationToken);
        var counts = DisplayStatus.Complete.ToDictionary(s => s, _ => 0);
        await using (var count = Command(connection, null,
                         $"SELECT status_code, error_msg = @cancel, COUNT(*) FROM tasks WHERE {where} GROUP BY 1, 2", parameters.ToArray()))
        await using (var reader = await count.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var status = reader.GetString(0) == nameof(TaskState.SUCCESS) ? DisplayStatus.Success
                    : !reader.IsDBNull(1) && reader.GetInt64(1) == 1 ? DisplayStatus.Canceled
                    : DisplayStatus.Failed;
                counts[status] += (int)reader.GetInt64(2);
            }
        }

        if (limit <= 0 || (filter.Statuses.Count > 0 && !filter.Statuses.Any(counts.ContainsKey)))
        {
            return new CompleteTaskPage([], counts);
        }

        var statusClauses = filter.Statuses.Where(counts.ContainsKey).Select(s => s switch
        {
            DisplayStatus.Success => "status_code = 'SUCCESS'",
            DisplayStatus.Canceled => "(status_code = 'FAILED' AND error_msg = @cancel)",
            _ => "(status_code = 'FAILED' AND (error_msg IS NULL OR error_msg <> @cancel))",
        }).ToList();
        if (statusClauses.Count is > 0 and < 3)
        {
            where.Append(" AND (").Append(string.Join(" OR ", statusClauses)).Append(')');
        }

        var direction = filter.Descending ? "DESC" : "ASC";
        var key = filter.Sort switch
        {
            TaskSortField.Id => null,
            TaskSortField.GroupId => "group_id",
            TaskSortField.Type => "type",
            TaskSortField.DataSource => "datasource",
            TaskSortField.Status => StatusRankSql,
            TaskSortField.Duration => "duration",
            _ => "created_ms",
        };
        var orderBy = key is null ? $"id {direction}" : $"{key} {direction}, id {direction}";
        parameters.Add(("@limit", limit));
        parameters.Add(("@offset", Math.Max(0, offset)));
        var rows = await QueryTasksAsync($"SELECT {TaskColumns} FROM tasks WHERE {where} ORDER BY {orderBy} LIMIT @limit OFFSET @offset",
            parameters, cancellationToken);
        return new CompleteTaskPage(rows, counts);
    }

    public async Task<IReadOnlyList<string>> GetTaskDataSourcesAsync(CancellationToken cancellationToken)
    {
        // A skip scan over ix_tasks_datasource_active_created: each step seeks the next name, so the cost follows the number
        // of datasources, not of tasks.
        const string sql = """
            WITH RECURSIVE names(name) AS (
                SELECT MIN(datasource) FROM tasks
                UNION ALL
                SELECT (SELECT MIN(datasource) FROM tasks WHERE datasource > names.name) FROM names WHERE names.name IS NOT NULL)
            SELECT name FROM names WHERE name IS NOT NULL
            """;
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var names = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            names.Add(reader.GetString(0));
        }

        return names;
    }
}
