using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Msq.Dialect;

namespace Dashboard.Core.Msq.Execution;

/// <summary>A column of a query's result: its name, Druid native type and SQL type.</summary>
public sealed record MsqColumn(string Name, string NativeType, string SqlType);

/// <summary>A datasource a query reads, with the segment files the timeline makes visible.</summary>
public sealed record MsqTableInput(string Name, string View, IReadOnlyList<string> Files, IReadOnlyList<MsqColumn> Columns)
{
    /// <summary>Every column of the datasource (Columns holds only those the query names).</summary>
    public IReadOnlyList<MsqColumn> AllColumns { get; init; } = Columns;
}

/// <summary>
/// A validated SQL-ingestion query, ready to run as a query_controller task: what it reads, what it produces, where it
/// writes, and the context it runs with.
/// </summary>
public sealed record MsqPlan(
    string SqlQueryId,
    string SqlQuery,
    DruidSqlStatement Statement,
    TranslatedQuery Translated,
    IReadOnlyList<MsqTableInput> Tables,
    IReadOnlyList<MsqColumn> Output,
    JsonObject Context,
    int MaxNumTasks,
    long RowsPerSegment,
    long MaxParseExceptions,
    bool FailOnEmptyInsert,
    DateTimeOffset Now)
{
    public string ControllerTaskId => $"query-{SqlQueryId}";

    public string DataSource => Statement.Target ?? "__query_select";

    public bool HasGroupBy => DruidSqlParser.TopLevel(Statement.Select).Any(t => t.IsWord("GROUP") || t.IsWord("DISTINCT")) ||
                              Output.Count > 0 && Translated.Sql.Contains("count(", StringComparison.OrdinalIgnoreCase);

    public IReadOnlyList<Interval> ReplaceIntervals => Statement.OverwriteIntervals ?? [];

    /// <summary>With finalizeAggregations=false, the aggregate columns a rolled-up INSERT or REPLACE writes as metrics.</summary>
    public IReadOnlyList<string> RollupMetrics { get; init; } = [];

    /// <summary>What an INSERT or REPLACE sorts each segment's rows by after __time (CLUSTERED BY), resolved.</summary>
    public IReadOnlyList<MsqClusterKey> ClusterKeys { get; init; } = [];
}

/// <summary>A SELECT planned for the interactive endpoint: what it reads (visible segment files) and the DuckDB SQL it runs.</summary>
public sealed record InteractivePlan(DruidSqlStatement Statement, TranslatedQuery Translated, IReadOnlyList<MsqTableInput> Tables)
{
    /// <summary>The system tables (<c>sys.*</c>, <c>INFORMATION_SCHEMA.*</c>) the query reads, filled into its session.</summary>
    public IReadOnlyList<string> SystemTables { get; init; } = [];
}
