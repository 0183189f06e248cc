using Dashboard.Core.Common;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>The time chunks an <c>OVERWRITE WHERE</c> clause names: __time compared with TIMESTAMP literals, AND/OR/BETWEEN.</summary>
public static class OverwriteIntervals
{
    public static IReadOnlyList<Interval> Parse(IReadOnlyList<SqlToken> condition, string text, SqlTimeZone zone)
    {
        if (condition.Count == 1 && condition[0].Kind == SqlTokenKind.Word)
        {
            throw MsqErrors.Invalid($"Invalid OVERWRITE WHERE clause [{condition[0].Text.ToUpperInvariant()}]: expected clause including AND, OR, NOT, >, <, >=, <= OR BETWEEN operators");
        }

        var intervals = new List<Interval>();
        foreach (var disjunct in SplitWord(condition, "OR"))
        {
            var start = DateTimeOffset.MinValue;
            var end = DateTimeOffset.MaxValue;
            foreach (var term in SplitWord(disjunct, "AND", skipBetween: true))
            {
                var t = term.Where(x => !x.IsSymbol("(") && !x.IsSymbol(")")).ToList();
                if (t.Count == 0)
                {
                    continue;
                }

                var column = t[0].Name;
                if (t.Count > 1 && t[1].IsWord("LIKE"))
                {
                    throw MsqErrors.Invalid($"Invalid OVERWRITE WHERE clause [`{column}` LIKE {t[^1].Text}]: Unsupported operation [LIKE] in OVERWRITE WHERE clause.");
                }

                if (column != "__time")
                {
                    throw MsqErrors.Invalid($"OVERWRITE WHERE clause only supports filtering on the __time column, got [{text}]");
                }

                if (t.Count >= 6 && t[1].IsWord("BETWEEN"))
                {
                    var and = t.FindIndex(x => x.IsWord("AND"));
                    start = Max(start, Literal(t.Skip(2).Take(and - 2).ToList(), text, zone));
                    end = Min(end, Literal(t.Skip(and + 1).ToList(), text, zone).AddMilliseconds(1));
                    continue;
                }

                if (t.Count < 3)
                {
                    throw MsqErrors.Invalid($"Invalid OVERWRITE WHERE clause [{text}]: expected clause including AND, OR, NOT, >, <, >=, <= OR BETWEEN operators");
                }

                var value = Literal(t.Skip(2).ToList(), text, zone);
                switch (t[1].Text)
                {
                    case ">=": start = Max(start, value); break;
                    case ">": start = Max(start, value.AddMilliseconds(1)); break;
                    case "<": end = Min(end, value); break;
                    case "<=": end = Min(end, value.AddMilliseconds(1)); break;
                    case "=": start = Max(start, value); end = Min(end, value.AddMilliseconds(1)); break;
                    default:
                        throw MsqErrors.Invalid($"Invalid OVERWRITE WHERE clause [{text}]: Unsupported operation [{t[1].Text}] in OVERWRITE WHERE clause.");
                }
            }

            if (start < end)
            {
                intervals.Add(new Interval(start, end));
            }
        }

        return intervals.Count > 0
            ? intervals
            : throw MsqErrors.Invalid($"The OVERWRITE WHERE clause [{text}] produced no time intervals, are the bounds overly restrictive?");
    }

    public static void CheckAligned(IReadOnlyList<Interval> intervals, Granularity granularity, string text)
    {
        if (granularity.IsAll || intervals.Any(i => i == Interval.Eternity))
        {
            return;
        }

        foreach (var interval in intervals)
        {
            if (granularity.Floor(interval.Start) != interval.Start || granularity.Floor(interval.End) != interval.End)
            {
                throw MsqErrors.Invalid($"OVERWRITE WHERE clause identified interval [{interval}] which is not aligned with PARTITIONED BY granularity [{granularity}]");
            }
        }
    }

    private static DateTimeOffset Literal(IReadOnlyList<SqlToken> tokens, string text, SqlTimeZone zone)
    {
        var literal = tokens.LastOrDefault(t => t.Kind == SqlTokenKind.String);
        return literal is not null && zone.TryParseLiteral(literal.StringValue, out var value)
            ? value
            : throw MsqErrors.Invalid($"Invalid OVERWRITE WHERE clause [{text}]: compare __time with TIMESTAMP literals, e.g. __time >= TIMESTAMP '2000-01-01'");
    }

    /// <summary>Splits at a top-level word (AND, OR), keeping the AND of BETWEEN x AND y inside its term.</summary>
    internal static List<List<SqlToken>> SplitWord(IReadOnlyList<SqlToken> tokens, string word, bool skipBetween = false)
    {
        var parts = new List<List<SqlToken>> { new() };
        var depth = 0;
        var inBetween = false;
        foreach (var t in tokens)
        {
            depth += t.IsSymbol("(") ? 1 : t.IsSymbol(")") ? -1 : 0;
            if (t.IsWord("BETWEEN"))
            {
                inBetween = skipBetween;
            }

            if (depth == 0 && t.IsWord(word))
            {
                if (inBetween)
                {
                    inBetween = false;
                    parts[^1].Add(t);
                    continue;
                }

                parts.Add([]);
                continue;
            }

            parts[^1].Add(t);
        }

        return parts;
    }

    internal static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    internal static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
