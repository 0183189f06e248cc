using System.Text.Json.Nodes;
using Dashboard.Core.Common;

namespace Dashboard.Core.Msq.Dialect;

public enum MsqStatementKind
{
    Select,
    Insert,
    Replace,
}

/// <summary>A parsed SQL-ingestion statement: what it writes where, how it partitions, and the SELECT that feeds it.</summary>
public sealed record DruidSqlStatement(
    MsqStatementKind Kind,
    bool Explain,
    string? Target,
    IReadOnlyList<Interval>? OverwriteIntervals,
    Granularity? PartitionedBy,
    IReadOnlyList<string> ClusteredBy,
    IReadOnlyList<SqlToken> Select,
    IReadOnlyDictionary<string, JsonNode?> SetContext)
{
    public string Operation => Kind.ToString().ToUpperInvariant();

    /// <summary>The zone time functions and TIMESTAMP literals are evaluated in (sqlTimeZone); UTC by default.</summary>
    public SqlTimeZone TimeZone { get; init; } = SqlTimeZone.Utc;

    /// <summary>The SELECT as written (for the task payload's sqlQuery and for explain).</summary>
    public string SelectText => string.Concat(Select.Select(t => t.Text)).Trim();
}
