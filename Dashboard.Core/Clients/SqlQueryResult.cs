using System.Text.Json.Nodes;

namespace Dashboard.Core.Clients;

/// <summary>
/// The rows of an interactive query (<c>POST /druid/v2/sql</c>, resultFormat array with its header) as the workbench shows
/// them: the query id Druid sent (<c>X-Druid-SQL-Query-Id</c>), the column names, and at most <see cref="MaxRows"/> rows.
/// </summary>
public sealed record SqlQueryResult(string SqlQueryId, IReadOnlyList<string> Columns, IReadOnlyList<JsonArray> Rows, bool Truncated)
{
    /// <summary>The most rows a dashboard result keeps; the rest are read and dropped, and <see cref="Truncated"/> says so.</summary>
    public const int MaxRows = 1000;
}
