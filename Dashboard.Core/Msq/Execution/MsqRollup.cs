using Dashboard.Core.Msq.Dialect;

namespace Dashboard.Core.Msq.Execution;

/// <summary>
/// <c>finalizeAggregations: false</c>: an INSERT or REPLACE with GROUP BY writes rolled-up segments whose aggregate columns
/// are metrics rather than dimensions, as Druid's rollup ingestion does. Only aggregations whose intermediate value is
/// their final value (COUNT, SUM, MIN, MAX) can be stored that way here; the others (sketches, pairs, AVG) are refused at
/// submission rather than silently stored finalized.
/// </summary>
public static class MsqRollup
{
    private static readonly HashSet<string> Combinable = new(StringComparer.OrdinalIgnoreCase) { "COUNT", "SUM", "MIN", "MAX" };

    private static readonly HashSet<string> Unfinalizable = new(StringComparer.OrdinalIgnoreCase)
    {
        "AVG", "LATEST", "EARLIEST", "LATEST_BY", "EARLIEST_BY", "APPROX_COUNT_DISTINCT", "APPROX_COUNT_DISTINCT_BUILTIN",
        "APPROX_COUNT_DISTINCT_DS_HLL", "APPROX_COUNT_DISTINCT_DS_THETA", "DS_HLL", "DS_THETA", "DS_QUANTILES_SKETCH",
        "APPROX_QUANTILE", "APPROX_QUANTILE_DS", "STRING_AGG", "ARRAY_AGG",
    };

    /// <summary>Refuses an aggregation that would have to be stored unfinalized in a form this server does not have.</summary>
    public static void CheckUnfinalized(DruidSqlStatement statement)
    {
        var tokens = statement.Select;
        for (var i = 0; i + 1 < tokens.Count; i++)
        {
            if (tokens[i].Kind != SqlTokenKind.Word || !tokens[i + 1].IsSymbol("("))
            {
                continue;
            }

            var distinctCount = tokens[i].IsWord("COUNT") && i + 2 < tokens.Count && tokens[i + 2].IsWord("DISTINCT");
            if (Unfinalizable.Contains(tokens[i].Text) || distinctCount)
            {
                var name = distinctCount ? "COUNT(DISTINCT)" : tokens[i].Text.ToUpperInvariant();
                throw MsqErrors.Invalid(
                    $"Aggregation [{name}] cannot be stored unfinalized (finalizeAggregations=false): this server keeps rollup metrics only for COUNT, SUM, MIN and MAX, " +
                    "whose stored value is final. Remove finalizeAggregations=false to store its finalized value.");
            }
        }
    }

    /// <summary>The output columns that are metrics of a rolled-up write: the top-level SELECT items that aggregate.</summary>
    public static IReadOnlyList<string> Metrics(DruidSqlStatement statement, IReadOnlyList<MsqColumn> output)
    {
        var items = TopSelectItems(statement.Select);
        if (items is null || items.Count != output.Count)
        {
            return [];
        }

        return output.Where((column, k) => column.Name != "__time" &&
                                           items[k].Where((t, j) => j + 1 < items[k].Count && items[k][j + 1].IsSymbol("(")).Any(t => Combinable.Contains(t.Text)))
            .Select(c => c.Name).ToList();
    }

    /// <summary>The items of the outermost SELECT list (after any WITH), split at top-level commas; null for SELECT *.</summary>
    private static List<List<SqlToken>>? TopSelectItems(IReadOnlyList<SqlToken> select)
    {
        int depth = 0, start = -1, end = select.Count;
        for (var i = 0; i < select.Count; i++)
        {
            depth += select[i].IsSymbol("(") ? 1 : select[i].IsSymbol(")") ? -1 : 0;
            if (depth != 0)
            {
                continue;
            }

            if (start < 0 && select[i].IsWord("SELECT"))
            {
                start = i + 1;
            }
            else if (start >= 0 && select[i].IsWord("FROM"))
            {
                end = i;
                break;
            }
        }

        if (start < 0 || (start < select.Count && select[start].IsWord("DISTINCT")))
        {
            return null;
        }

        var items = DruidSqlParser.Split(select.Skip(start).Take(end - start).ToList());
        return items.Any(item => item.Any(t => t.IsSymbol("*") && item.Count == 1)) ? null : items;
    }
}
