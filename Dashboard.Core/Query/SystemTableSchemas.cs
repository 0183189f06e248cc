namespace Dashboard.Core.Query;

/// <summary>
/// Druid's system tables as the interactive endpoint serves them: <c>sys.*</c> and <c>INFORMATION_SCHEMA.*</c>, with
/// Druid's column names, order and SQL types (each as the DuckDB type it is held in).
/// </summary>
public static class SystemTableSchemas
{
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<(string Name, string Type)>> Tables =
        new Dictionary<string, IReadOnlyList<(string Name, string Type)>>(StringComparer.OrdinalIgnoreCase)
        {
            ["sys.segments"] = Columns("segment_id", "datasource", "start", "end", "size:BIGINT", "version", "partition_num:BIGINT", "num_replicas:BIGINT",
                "num_rows:BIGINT", "is_active:BIGINT", "is_published:BIGINT", "is_available:BIGINT", "is_realtime:BIGINT", "is_overshadowed:BIGINT",
                "shard_spec", "dimensions", "metrics", "last_compaction_state", "replication_factor:BIGINT"),
            ["sys.servers"] = Columns("server", "host", "plaintext_port:BIGINT", "tls_port:BIGINT", "server_type", "tier", "curr_size:BIGINT",
                "max_size:BIGINT", "is_leader:BIGINT", "start_time"),
            ["sys.server_segments"] = Columns("server", "segment_id"),
            ["sys.tasks"] = Columns("task_id", "group_id", "type", "datasource", "created_time", "queue_insertion_time", "status", "runner_status",
                "duration:BIGINT", "location", "host", "plaintext_port:BIGINT", "tls_port:BIGINT", "error_msg"),
            ["sys.supervisors"] = Columns("supervisor_id", "state", "detailed_state", "healthy:BIGINT", "type", "source", "suspended:BIGINT", "spec"),
            ["INFORMATION_SCHEMA.SCHEMATA"] = Columns("CATALOG_NAME", "SCHEMA_NAME", "SCHEMA_OWNER", "DEFAULT_CHARACTER_SET_CATALOG",
                "DEFAULT_CHARACTER_SET_SCHEMA", "DEFAULT_CHARACTER_SET_NAME", "SQL_PATH"),
            ["INFORMATION_SCHEMA.TABLES"] = Columns("TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "TABLE_TYPE", "IS_JOINABLE", "IS_BROADCAST"),
            ["INFORMATION_SCHEMA.COLUMNS"] = Columns("TABLE_CATALOG", "TABLE_SCHEMA", "TABLE_NAME", "COLUMN_NAME", "ORDINAL_POSITION:BIGINT",
                "COLUMN_DEFAULT", "IS_NULLABLE", "DATA_TYPE", "CHARACTER_MAXIMUM_LENGTH:BIGINT", "CHARACTER_OCTET_LENGTH:BIGINT",
                "NUMERIC_PRECISION:BIGINT", "NUMERIC_PRECISION_RADIX:BIGINT", "NUMERIC_SCALE:BIGINT", "DATETIME_PRECISION:BIGINT",
                "CHARACTER_SET_NAME", "COLLATION_NAME", "JDBC_TYPE:BIGINT"),
        };

    /// <summary>The view a system table is held in inside a query's session (<c>sys.tasks</c> → <c>__sys_sys_tasks</c>).</summary>
    public static string ViewOf(string table) => "__sys_" + table.ToLowerInvariant().Replace('.', '_');

    private static IReadOnlyList<(string, string)> Columns(params string[] columns) =>
        columns.Select(c => c.Split(':') is [var name, var type] ? (name, type) : (c, "VARCHAR")).ToList();
}
