using Dashboard.Core.Ingestion.Spec;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>Translates a Druid dimension filter into a DuckDB boolean expression over the row's columns.</summary>
public static class FilterSql
{
    public static string Translate(DimFilter filter, Func<string, string> column) => filter switch
    {
        SelectorFilter s when s.Value is null or "" => $"({AsString(column(s.Dimension))} IS NULL OR {AsString(column(s.Dimension))} = '')",
        SelectorFilter s => $"coalesce({AsString(column(s.Dimension))} = {Sql.Literal(s.Value)}, false)",
        InFilter i => $"coalesce({AsString(column(i.Dimension))} IN ({string.Join(", ", i.Values.Where(v => v is not null).Select(Sql.Literal).DefaultIfEmpty("NULL"))}), false)" +
                      (i.Values.Any(v => v is null) ? $" OR {AsString(column(i.Dimension))} IS NULL" : ""),
        BoundFilter b => Bound(b, column),
        AndFilter a when a.Fields.Count == 0 => "true",
        AndFilter a => "(" + string.Join(" AND ", a.Fields.Select(f => Translate(f, column))) + ")",
        OrFilter o => "(" + string.Join(" OR ", o.Fields.Select(f => Translate(f, column))) + ")",
        NotFilter n => $"(NOT coalesce({Translate(n.Field, column)}, false))",
        _ => throw new InvalidOperationException($"Unknown filter {filter.GetType().Name}."),
    };

    /// <summary>The columns a filter reads.</summary>
    public static IEnumerable<string> Dimensions(DimFilter filter) => filter switch
    {
        SelectorFilter s => [s.Dimension],
        InFilter i => [i.Dimension],
        BoundFilter b => [b.Dimension],
        AndFilter a => a.Fields.SelectMany(Dimensions),
        OrFilter o => o.Fields.SelectMany(Dimensions),
        NotFilter n => Dimensions(n.Field),
        _ => [],
    };

    private static string Bound(BoundFilter b, Func<string, string> column)
    {
        var numeric = b.Ordering == "numeric";
        var value = numeric ? $"TRY_CAST({column(b.Dimension)} AS DOUBLE)" : AsString(column(b.Dimension));
        string Bound(string bound) => numeric ? $"TRY_CAST({Sql.Literal(bound)} AS DOUBLE)" : Sql.Literal(bound);
        var parts = new List<string>();
        if (b.Lower is not null)
        {
            parts.Add($"{value} {(b.LowerStrict ? ">" : ">=")} {Bound(b.Lower)}");
        }

        if (b.Upper is not null)
        {
            parts.Add($"{value} {(b.UpperStrict ? "<" : "<=")} {Bound(b.Upper)}");
        }

        return parts.Count == 0 ? $"{value} IS NOT NULL" : $"coalesce({string.Join(" AND ", parts)}, false)";
    }

    private static string AsString(string sql) => $"CAST({sql} AS VARCHAR)";
}
