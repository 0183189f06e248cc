using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Engine;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Msq.Execution;
using Dashboard.Core.Segments;
using DuckDB.NET.Data;

namespace Dashboard.Core.Query;

/// <summary>
/// Fills the system tables a query reads into its session, as tables built with DuckDB's appender (no SQL text from
/// values), leaving out every row of a datasource the caller may not READ, as Druid does.
/// </summary>
public sealed class SystemTableRows(IOverlordClient overlord, ICoordinatorClient coordinator)
{
    private const string Server = "localhost:8888";

    public async Task LoadAsync(DuckDBConnection db, IReadOnlyList<string> tables, Func<string, bool> canRead, CancellationToken ct)
    {
        foreach (var table in tables)
        {
            var columns = SystemTableSchemas.Tables[table];
            var view = SystemTableSchemas.ViewOf(table);
            await db.ExecuteAsync($"CREATE TABLE {Sql.Name(view)} ({string.Join(", ", columns.Select(c => $"{Sql.Name(c.Name)} {c.Type}"))})", ct);
            var rows = await RowsAsync(table.ToLowerInvariant(), canRead, ct);
            using var appender = db.CreateAppender(view);
            foreach (var values in rows)
            {
                var row = appender.CreateRow();
                foreach (var value in values)
                {
                    _ = value switch
                    {
                        null => row.AppendNullValue(),
                        long l => row.AppendValue(l),
                        int i => row.AppendValue((long)i),
                        _ => row.AppendValue(value.ToString()),
                    };
                }

                row.EndRow();
            }
        }
    }

    private async Task<IReadOnlyList<object?[]>> RowsAsync(string table, Func<string, bool> canRead, CancellationToken ct)
    {
        switch (table)
        {
            case "sys.tasks":
                return (await overlord.GetTasksAsync(new TaskListQuery(), ct)).Where(t => canRead(t.DataSource ?? "")).Select(t => new object?[]
                {
                    t.Id, t.GroupId, t.Type, t.DataSource, DruidTime.Format(t.CreatedTime), DruidTime.Format(t.QueueInsertionTime), t.StatusCode?.ToString(),
                    t.StatusCode == Tasks.TaskState.RUNNING ? (t.RunnerStatusCode ?? Tasks.RunnerTaskState.WAITING).ToString() : "NONE", t.Duration ?? -1,
                    t.Location.Host is { } h ? $"{h}:{t.Location.Port}" : null, t.Location.Host, (long)t.Location.Port, (long)t.Location.TlsPort, t.ErrorMsg,
                }).ToList();
            case "sys.segments":
            case "sys.server_segments":
                var rows = new List<object?[]>();
                foreach (var ds in (await coordinator.GetDataSourcesAsync(ct)).Where(canRead))
                {
                    var used = await coordinator.GetUsedSegmentsAsync(ds, ct);
                    var visible = SegmentTimeline.Visible(used).Select(s => s.Identifier).ToHashSet();
                    foreach (var s in used)
                    {
                        var active = visible.Contains(s.Identifier) ? 1L : 0L;
                        rows.Add(table == "sys.server_segments"
                            ? [Server, s.Identifier]
                            : [s.Identifier, s.DataSource, DruidTime.Format(s.Interval.Start), DruidTime.Format(s.Interval.End), s.Size, s.Version, (long)s.PartitionNum,
                                1L, s.TotalRows, active, 1L, 1L, 0L, 1 - active, s.ShardSpec.ToJsonString(), s.Dimensions, s.Metrics, null, 1L]);
                    }
                }

                return rows;
            case "sys.servers":
                return [[Server, "localhost", 8888L, -1L, "indexer", "_default_tier", 0L, 0L, 1L, null]];
            case "sys.supervisors":
                return [];
            case "information_schema.schemata":
                return new[] { "druid", "sys", "INFORMATION_SCHEMA", "lookup", "view" }.Select(s => new object?[] { "druid", s, null, null, null, null, null }).ToList();
            case "information_schema.tables":
                return (await coordinator.GetDataSourcesAsync(ct)).Where(canRead).Select(ds => new object?[] { "druid", "druid", ds, "TABLE", "NO", "NO" })
                    .Concat(SystemTableSchemas.Tables.Keys.Select(t => t.Split('.')).Select(p => new object?[] { "druid", p[0], p[1], "SYSTEM_TABLE", "NO", "NO" }))
                    .ToList();
            default:
                var columns = new List<object?[]>();
                foreach (var ds in (await coordinator.GetDataSourcesAsync(ct)).Where(canRead))
                {
                    var position = 0L;
                    foreach (var c in await coordinator.GetSchemaAsync(ds, ct))
                    {
                        var type = MsqTypes.FromDuckDb(c.Name, c.Type).SqlType;
                        columns.Add(["druid", "druid", ds, c.Name, ++position, null, c.Name == "__time" ? "NO" : "YES", type, null, null, null, null, null, null, null, null, null]);
                    }
                }

                return columns;
        }
    }
}
