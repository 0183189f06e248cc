using Dashboard.Core.Common;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>
/// The __time range a query's top-level WHERE restricts rows to, when it can be read off conservatively: AND-ed
/// comparisons of __time with TIMESTAMP literals. Segments outside it need not be read. Null means "no bound known".
/// </summary>
public static class TimeBounds
{
    private static readonly string[] ClauseEnds = ["GROUP", "ORDER", "LIMIT", "HAVING", "UNION", "WINDOW", "OFFSET", "PARTITIONED", "CLUSTERED"];

    public static Interval? Of(IReadOnlyList<SqlToken> select, SqlTimeZone zone)
    {
        var where = TopLevelIndex(select, "WHERE", 0);
        if (where < 0)
        {
            return null;
        }

        var end = select.Count;
        for (var i = where + 1; i < select.Count; i++)
        {
            if (Depth(select, where, i) == 0 && ClauseEnds.Any(k => select[i].IsWord(k)))
            {
                end = i;
                break;
            }
        }

        var condition = select.Skip(where + 1).Take(end - where - 1).ToList();
        if (DruidSqlParser.TopLevel(condition).Any(t => t.IsWord("OR") || t.IsWord("NOT")))
        {
            return null;
        }

        var start = DateTimeOffset.MinValue;
        var stop = DateTimeOffset.MaxValue;
        var terms = OverwriteIntervals.SplitWord(condition, "AND", skipBetween: true);
        foreach (var term in terms)
        {
            var t = term.Where(x => !x.IsSymbol("(") && !x.IsSymbol(")")).ToList();
            if (t.Count < 3 || t[0].Name != "__time")
            {
                continue;
            }

            if (t[1].IsWord("BETWEEN") && t.Count >= 7 && Literal(t.Skip(2).Take(2).ToList(), zone) is { } low && Literal(t.Skip(5).Take(2).ToList(), zone) is { } high)
            {
                start = OverwriteIntervals.Max(start, low);
                stop = OverwriteIntervals.Min(stop, high.AddMilliseconds(1));
                continue;
            }

            if (Literal(t.Skip(2).ToList(), zone) is not { } value)
            {
                continue;
            }

            switch (t[1].Text)
            {
                case ">=" or ">": start = OverwriteIntervals.Max(start, value); break;
                case "<": stop = OverwriteIntervals.Min(stop, value); break;
                case "<=": stop = OverwriteIntervals.Min(stop, value.AddMilliseconds(1)); break;
                case "=": start = OverwriteIntervals.Max(start, value); stop = OverwriteIntervals.Min(stop, value.AddMilliseconds(1)); break;
            }
        }

        return start == DateTimeOffset.MinValue && stop == DateTimeOffset.MaxValue ? null : new Interval(start, stop < start ? start : stop);
    }

    private static DateTimeOffset? Literal(IReadOnlyList<SqlToken> tokens, SqlTimeZone zone) =>
        tokens.Count == 2 && tokens[0].IsWord("TIMESTAMP") && tokens[1].Kind == SqlTokenKind.String && zone.TryParseLiteral(tokens[1].StringValue, out var v) ? v : null;

    private static int TopLevelIndex(IReadOnlyList<SqlToken> tokens, string word, int from)
    {
        var depth = 0;
        for (var i = from; i < tokens.Count; i++)
        {
            depth += tokens[i].IsSymbol("(") ? 1 : tokens[i].IsSymbol(")") ? -1 : 0;
            if (depth == 0 && tokens[i].IsWord(word))
            {
                return i;
            }
        }

        return -1;
    }

    private static int Depth(IReadOnlyList<SqlToken> tokens, int from, int to)
    {
        var depth = 0;
        for (var i = from; i < to; i++)
        {
            depth += tokens[i].IsSymbol("(") ? 1 : tokens[i].IsSymbol(")") ? -1 : 0;
        }

        return depth;
    }
}
