using System.Collections.Frozen;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>The SQL words <see cref="DruidSqlChecker"/> treats specially.</summary>
internal static class DruidSqlKeywords
{
    /// <summary>Keywords that may stand before "(" without being a function call (IN (...), OVER (...), AS (...) of a CTE, ...).</summary>
    public static readonly FrozenSet<string> BeforeParenthesis = Set(
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "EXISTS", "VALUES", "OVER", "FILTER", "AS", "ON", "USING", "BY",
        "HAVING", "WHEN", "THEN", "ELSE", "CASE", "IS", "LIKE", "BETWEEN", "ANY", "SOME", "ALL", "DISTINCT", "LIMIT", "OFFSET",
        "JOIN", "LATERAL", "UNION", "INTERSECT", "EXCEPT", "TO", "FOR", "GROUP", "ESCAPE", "ARRAY", "ROW", "INTERVAL",
        "DECIMAL", "NUMERIC", "DEC", "VARCHAR", "CHAR", "CHARACTER", "TIMESTAMP", "TIME", "BINARY", "VARBINARY", "ORDER",
        "PARTITION", "END", "WITHIN", "NULL", "TRUE", "FALSE", "LEADING", "TRAILING", "BOTH", "ROLLUP", "CUBE", "SETS");

    /// <summary>
    /// Keywords after which an expression (and so a function call) may start. A call right after any other word, a name,
    /// a literal or ")" is refused: DuckDB would read "getvariable (...)" as a call of the word before.
    /// </summary>
    public static readonly FrozenSet<string> BeforeExpression = Set(
        "SELECT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE", "CASE", "BY", "ON", "IN", "LIKE", "BETWEEN", "DISTINCT",
        "ALL", "ANY", "SOME", "FROM", "TO", "FOR", "HAVING", "LIMIT", "OFFSET", "ESCAPE", "LEADING", "TRAILING", "BOTH");

    /// <summary>Reserved words that cannot name a table or an alias.</summary>
    public static readonly FrozenSet<string> Reserved = Set(
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "ALL",
        "DISTINCT", "AS", "ON", "USING", "JOIN", "LEFT", "RIGHT", "FULL", "INNER", "OUTER", "CROSS", "NATURAL", "LATERAL",
        "UNNEST", "TABLE", "EXTERN", "EXTEND", "WITH", "VALUES", "AND", "OR", "NOT", "IN", "EXISTS", "IS", "NULL", "LIKE",
        "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "OVER", "FILTER", "WINDOW", "FETCH", "PARTITIONED", "CLUSTERED",
        "TRUE", "FALSE", "INTERVAL", "ESCAPE", "WITHIN");

    /// <summary>Words that end a FROM list.</summary>
    public static readonly FrozenSet<string> EndOfFrom = Set(
        "WHERE", "GROUP", "HAVING", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT", "WINDOW", "FETCH", "PARTITIONED", "CLUSTERED");

    /// <summary>
    /// DuckDB syntax that is not Druid SQL and reaches tables, files or settings (PIVOT, SUMMARIZE, DESCRIBE, SHOW, TABLE x,
    /// COLUMNS(...), recursive CTEs, DuckDB-only joins): refused wherever it appears unquoted.
    /// </summary>
    public static readonly FrozenSet<string> DuckDbOnly = Set(
        "PIVOT", "PIVOT_WIDER", "PIVOT_LONGER", "UNPIVOT", "SUMMARIZE", "DESCRIBE", "SHOW", "RECURSIVE", "POSITIONAL", "ASOF",
        "ANTI", "SEMI", "QUALIFY", "TABLESAMPLE", "EXCLUDE", "COLUMNS", "MATERIALIZED", "LAMBDA");

    /// <summary>Letters that make a string literal something else in DuckDB or Calcite (E'\n', X'00', B'01', N'', U&amp;'', R'').</summary>
    public static readonly FrozenSet<string> StringPrefixes = Set("E", "X", "B", "N", "U", "R");

    private static FrozenSet<string> Set(params string[] words) => words.ToFrozenSet(StringComparer.OrdinalIgnoreCase);
}
