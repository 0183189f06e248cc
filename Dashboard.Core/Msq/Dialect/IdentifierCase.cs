namespace Dashboard.Core.Msq.Dialect;

/// <summary>
/// Druid resolves identifiers case-sensitively; DuckDB does not. A name in the query that matches a known column or
/// alias only when case is ignored is refused, as Druid refuses it, instead of silently reading the other column.
/// </summary>
public static class IdentifierCase
{
    public static void Check(IReadOnlyList<SqlToken> select, IEnumerable<string> inputColumns)
    {
        var known = new HashSet<string>(inputColumns, StringComparer.Ordinal);
        for (var i = 1; i < select.Count; i++)
        {
            if (select[i - 1].IsWord("AS") && select[i].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                known.Add(select[i].Name);
            }
        }

        var byLower = known.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < select.Count; i++)
        {
            var t = select[i];
            var isFunction = i + 1 < select.Count && select[i + 1].IsSymbol("(");
            if (t.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) || isFunction || known.Contains(t.Name))
            {
                continue;
            }

            if (byLower.TryGetValue(t.Name, out var candidates) && (t.Kind == SqlTokenKind.QuotedIdentifier || !IsKeyword(t.Text)))
            {
                throw MsqErrors.Parse(
                    $"Column '{t.Name}' not found in any table (line [{t.Line}], column [{t.Column}]); identifiers are case-sensitive: did you mean '{candidates[0]}'?",
                    t.Line, t.Column);
            }
        }
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "SELECT", "FROM", "WHERE", "GROUP", "BY", "ORDER", "HAVING", "LIMIT", "AS", "AND", "OR", "NOT", "NULL", "IS", "IN", "ON", "JOIN",
        "LEFT", "RIGHT", "INNER", "OUTER", "FULL", "CROSS", "UNION", "ALL", "DISTINCT", "CASE", "WHEN", "THEN", "ELSE", "END", "WITH",
        "TABLE", "EXTERN", "EXTEND", "TIMESTAMP", "INTERVAL", "BETWEEN", "LIKE", "ASC", "DESC", "TRUE", "FALSE", "CAST", "VARCHAR",
        "BIGINT", "DOUBLE", "FLOAT", "INTEGER", "BOOLEAN", "DATE", "TIME", "TO", "DAY", "HOUR", "MINUTE", "SECOND", "MONTH", "YEAR",
        "WEEK", "QUARTER", "OVER", "PARTITION", "ROWS", "FILTER", "OFFSET", "FETCH", "ONLY", "EXISTS", "ANY", "SOME", "ESCAPE",
    };

    private static bool IsKeyword(string word) => Keywords.Contains(word);
}
