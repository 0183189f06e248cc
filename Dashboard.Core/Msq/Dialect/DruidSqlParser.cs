using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>
/// Parses the Druid-specific shell of an SQL-ingestion statement (SET, EXPLAIN, INSERT/REPLACE, OVERWRITE, PARTITIONED BY,
/// CLUSTERED BY) and checks it with Druid's planning messages. The SELECT itself is translated by <see cref="DruidSqlTranslator"/>.
/// </summary>
public static class DruidSqlParser
{
    private static readonly string GranularityList =
        "'SECOND', 'MINUTE', 'FIVE_MINUTE', 'TEN_MINUTE', 'FIFTEEN_MINUTE', 'THIRTY_MINUTE', 'HOUR', 'SIX_HOUR', 'EIGHT_HOUR', 'DAY', 'MONTH', 'QUARTER', 'YEAR', 'ALL', ALL TIME, FLOOR() or TIME_FLOOR()";

    /// <summary>Parses a statement; the request's context supplies <c>sqlTimeZone</c> unless a SET in the statement does.</summary>
    public static DruidSqlStatement Parse(string sql, JsonObject? requestContext = null)
    {
        var tokens = SqlTokenizer.Tokenize(sql).Where(t => t.Kind != SqlTokenKind.Space).ToList();
        var pos = 0;
        var context = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        while (pos < tokens.Count && tokens[pos].IsWord("SET"))
        {
            pos = ParseSet(tokens, pos, context);
        }

        tokens = SingleStatement(tokens, pos);
        var zone = TimeZoneOf(context.GetValueOrDefault("sqlTimeZone") ?? requestContext?["sqlTimeZone"]);
        var explain = false;
        if (At(tokens, pos, "EXPLAIN"))
        {
            Expect(tokens, pos + 1, "PLAN");
            Expect(tokens, pos + 2, "FOR");
            explain = true;
            pos += 3;
        }

        if (pos >= tokens.Count)
        {
            throw UnexpectedEnd(tokens);
        }

        var first = tokens[pos];
        if (first.IsWord("SELECT") || first.IsWord("WITH") || first.IsSymbol("("))
        {
            var body = Body(tokens, pos, MsqStatementKind.Select);
            return new DruidSqlStatement(MsqStatementKind.Select, explain, null, null, body.Granularity, body.ClusteredBy, body.Select, context) { TimeZone = zone };
        }

        var kind = first.IsWord("INSERT") ? MsqStatementKind.Insert
            : first.IsWord("REPLACE") ? MsqStatementKind.Replace
            : throw Unexpected(first, "INSERT, REPLACE, SELECT, WITH, SET or EXPLAIN");
        var operation = kind.ToString().ToUpperInvariant();
        Expect(tokens, pos + 1, "INTO");
        pos += 2;
        var (target, afterTarget) = ParseTarget(tokens, pos, operation);
        pos = afterTarget;

        IReadOnlyList<Interval>? overwrite = null;
        var overwriteText = "";
        if (kind == MsqStatementKind.Replace)
        {
            if (!At(tokens, pos, "OVERWRITE") || At(tokens, pos + 1, "SELECT") || At(tokens, pos + 1, "WITH") || pos + 1 >= tokens.Count)
            {
                throw MsqErrors.Invalid("Missing time chunk information in OVERWRITE clause for REPLACE. Use OVERWRITE WHERE <__time based condition> or OVERWRITE ALL to overwrite the entire table.");
            }

            if (At(tokens, pos + 1, "ALL"))
            {
                overwrite = [Interval.Eternity];
                pos += 2;
            }
            else
            {
                Expect(tokens, pos + 1, "WHERE");
                var end = pos + 2;
                while (end < tokens.Count && !(Depth(tokens, pos + 2, end) == 0 && (tokens[end].IsWord("SELECT") || tokens[end].IsWord("WITH"))))
                {
                    end++;
                }

                var condition = tokens.GetRange(pos + 2, end - pos - 2);
                overwriteText = string.Join(" ", condition.Select(t => t.Text));
                overwrite = OverwriteIntervals.Parse(condition, overwriteText, zone);
                pos = end;
            }
        }
        else if (At(tokens, pos, "OVERWRITE"))
        {
            throw Unexpected(tokens[pos], "SELECT");
        }

        if (pos >= tokens.Count)
        {
            throw UnexpectedEnd(tokens);
        }

        if (!tokens[pos].IsWord("SELECT") && !tokens[pos].IsWord("WITH") && !tokens[pos].IsSymbol("("))
        {
            throw Unexpected(tokens[pos], "SELECT");
        }

        var parsed = Body(tokens, pos, kind);
        if (parsed.Granularity is null)
        {
            throw MsqErrors.Invalid($"Operation [{operation}] requires a PARTITIONED BY to be explicitly defined, but none was found.");
        }

        if (overwrite is not null && kind == MsqStatementKind.Replace)
        {
            OverwriteIntervals.CheckAligned(overwrite, parsed.Granularity, overwriteText);
        }

        return new DruidSqlStatement(kind, explain, target, overwrite, parsed.Granularity, parsed.ClusteredBy, parsed.Select, context) { TimeZone = zone };
    }

    /// <summary>
    /// The statement that starts at <paramref name="start"/>, ending at its ";" if any. Druid takes one statement, after
    /// SET statements, and at most one ";" (druid-behaviour.md): a second statement is Druid's "Only SET statements can
    /// appear before the final statement" error, anything else after the ";" (COPY, ATTACH, PRAGMA, ...) its parse error.
    /// </summary>
    private static List<SqlToken> SingleStatement(List<SqlToken> tokens, int start)
    {
        var end = tokens.FindIndex(start, t => t.IsSymbol(";"));
        if (end < 0 || end == tokens.Count - 1)
        {
            return end < 0 ? tokens : tokens.GetRange(0, end + 1);
        }

        var next = tokens[end + 1];
        if (next.IsWord("SELECT") || next.IsWord("WITH") || next.IsWord("INSERT") || next.IsWord("REPLACE") || next.IsWord("EXPLAIN")
            || next.IsWord("SET") || next.IsWord("VALUES") || next.IsSymbol("("))
        {
            var statement = string.Join(" ", tokens.Skip(start).Take(end - start).Select(t => t.Text));
            throw MsqErrors.Parse(
                $"Only SET statements can appear before the final statement in a statement list, but found non-SET statement[{statement}]. Send one statement per request.",
                next.Line, next.Column);
        }

        throw Unexpected(next, "<EOF>");
    }

    private static SqlTimeZone TimeZoneOf(JsonNode? value) => value is null ? SqlTimeZone.Utc
        : value.GetValueKind() == System.Text.Json.JsonValueKind.String ? SqlTimeZone.FromContext("sqlTimeZone", value.GetValue<string>())
        : throw MsqErrors.Invalid($"Context key [sqlTimeZone] must be a string such as \"America/Los_Angeles\", got [{value.ToJsonString()}].");

    private static int ParseSet(List<SqlToken> tokens, int pos, Dictionary<string, JsonNode?> context)
    {
        if (pos + 3 >= tokens.Count || (tokens[pos + 1].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)) || !tokens[pos + 2].IsSymbol("="))
        {
            throw Unexpected(tokens[Math.Min(pos + 1, tokens.Count - 1)], "SET key = value;");
        }

        var value = tokens[pos + 3];
        context[tokens[pos + 1].Name] = value.Kind switch
        {
            SqlTokenKind.String => JsonValue.Create(value.StringValue),
            SqlTokenKind.Number when long.TryParse(value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            SqlTokenKind.Number when double.Parse(value.Text, CultureInfo.InvariantCulture) is var d && double.IsFinite(d) => JsonValue.Create(d),
            SqlTokenKind.Word when value.IsWord("TRUE") => JsonValue.Create(true),
            SqlTokenKind.Word when value.IsWord("FALSE") => JsonValue.Create(false),
            _ => throw Unexpected(value, "a literal value"),
        };
        if (pos + 4 >= tokens.Count || !tokens[pos + 4].IsSymbol(";"))
        {
            throw Unexpected(pos + 4 < tokens.Count ? tokens[pos + 4] : tokens[^1], ";");
        }

        return pos + 5;
    }

    private static (string Target, int Next) ParseTarget(List<SqlToken> tokens, int pos, string operation)
    {
        if (pos >= tokens.Count)
        {
            throw UnexpectedEnd(tokens);
        }

        if (tokens[pos].IsWord("EXTERN"))
        {
            throw MsqErrors.Invalid($"Operation [{operation}] into EXTERN (export) is not supported by this server; write into a datasource.");
        }

        var parts = new List<string> { tokens[pos].Name };
        var next = pos + 1;
        while (next + 1 < tokens.Count && tokens[next].IsSymbol("."))
        {
            parts.Add(tokens[next + 1].Name);
            next += 2;
        }

        if (parts.Count > 1 && !(parts.Count == 2 && parts[0].Equals("druid", StringComparison.OrdinalIgnoreCase)))
        {
            throw MsqErrors.Invalid($"Table [{string.Join(".", parts)}] does not support operation [{operation}] because it is not a Druid datasource");
        }

        var target = parts[^1];
        if (next < tokens.Count && tokens[next].IsSymbol("("))
        {
            var close = next;
            while (close < tokens.Count && !tokens[close].IsSymbol(")"))
            {
                close++;
            }

            var columns = tokens.GetRange(next + 1, Math.Max(0, close - next - 1)).Where(t => !t.IsSymbol(",")).Select(t => $"`{t.Name}`");
            throw MsqErrors.Invalid($"Operation [{operation}] cannot be run with a target column list, given [{target} ({string.Join(", ", columns)})]");
        }

        if (Tasks.TaskIds.Check("table", target) is { } problem)
        {
            throw MsqErrors.Invalid(problem);
        }

        return (target, next);
    }

    private sealed record BodyParts(IReadOnlyList<SqlToken> Select, Granularity? Granularity, IReadOnlyList<string> ClusteredBy);

    private static BodyParts Body(List<SqlToken> tokens, int start, MsqStatementKind kind)
    {
        int? partitioned = null, clustered = null;
        var depth = 0;
        var end = tokens.Count;
        if (end > start && tokens[end - 1].IsSymbol(";"))
        {
            end--;
        }

        for (var i = start; i < end; i++)
        {
            if (tokens[i].IsSymbol("("))
            {
                depth++;
            }
            else if (tokens[i].IsSymbol(")"))
            {
                depth--;
            }
            else if (depth == 0 && i + 1 < end && tokens[i + 1].IsWord("BY"))
            {
                if (tokens[i].IsWord("PARTITIONED"))
                {
                    partitioned ??= i;
                }
                else if (tokens[i].IsWord("CLUSTERED"))
                {
                    clustered ??= i;
                }
            }
        }

        if (clustered is { } c && (partitioned is null || c < partitioned))
        {
            throw partitioned is null && kind != MsqStatementKind.Select
                ? MsqErrors.Invalid($"Operation [{kind.ToString().ToUpperInvariant()}] requires a PARTITIONED BY to be explicitly defined, but none was found.")
                : MsqErrors.Invalid("CLUSTERED BY found before PARTITIONED BY, CLUSTERED BY must come after the PARTITIONED BY clause");
        }

        var selectEnd = partitioned ?? end;
        var select = tokens.GetRange(start, selectEnd - start);
        if (kind != MsqStatementKind.Select)
        {
            CheckInsertSelect(select, kind);
        }

        Granularity? granularity = null;
        if (partitioned is { } p)
        {
            var granularityEnd = clustered ?? end;
            granularity = ParseGranularity(tokens.GetRange(p + 2, granularityEnd - p - 2));
        }

        var clusteredBy = new List<string>();
        if (clustered is { } cl)
        {
            var items = Split(tokens.GetRange(cl + 2, end - cl - 2));
            foreach (var item in items)
            {
                if (item.Count > 0 && item[^1].IsWord("DESC"))
                {
                    throw MsqErrors.Invalid($"Invalid CLUSTERED BY clause [{string.Join(" ", item.Take(item.Count - 1).Select(t => $"`{t.Name}`"))} DESC]: cannot sort in descending order.");
                }

                var expression = item.Count > 0 && item[^1].IsWord("ASC") ? item.Take(item.Count - 1).ToList() : item;
                clusteredBy.Add(string.Join(" ", expression.Select(t => t.Text)));
            }
        }

        if (kind != MsqStatementKind.Select && granularity is { IsAll: false } && TopLevel(select).Any(t => t.IsWord("LIMIT")))
        {
            throw MsqErrors.Invalid("INSERT and REPLACE queries cannot have a LIMIT unless PARTITIONED BY is \"ALL\"");
        }

        return new BodyParts(select, granularity, clusteredBy);
    }

    private static void CheckInsertSelect(List<SqlToken> select, MsqStatementKind kind)
    {
        var top = TopLevel(select).ToList();
        if (top.Any(t => t.IsWord("OFFSET")))
        {
            throw MsqErrors.Invalid("INSERT and REPLACE queries cannot have an OFFSET");
        }

        for (var i = 0; i + 1 < top.Count; i++)
        {
            if (top[i].IsWord("ORDER") && top[i + 1].IsWord("BY"))
            {
                throw MsqErrors.Invalid($"Cannot use an ORDER BY clause on a Query of type [{kind.ToString().ToUpperInvariant()}], use CLUSTERED BY instead");
            }
        }
    }

    public static Granularity ParseGranularity(IReadOnlyList<SqlToken> tokens)
    {
        var text = tokens.Count == 1 && tokens[0].Kind == SqlTokenKind.String ? tokens[0].StringValue : string.Join(" ", tokens.Select(t => t.Text));
        Granularity? result = null;
        if (tokens.Count == 1 && tokens[0].Kind == SqlTokenKind.Word && Granularity.TryParse(JsonValue.Create(tokens[0].Text), out var g, out _) && !IsPeriodWord(tokens[0].Text))
        {
            result = g;
        }
        else if (tokens.Count == 2 && tokens[0].IsWord("ALL") && tokens[1].IsWord("TIME"))
        {
            result = Granularity.All;
        }
        else if (tokens.Count == 1 && tokens[0].Kind == SqlTokenKind.String && IsoPeriod.TryParse(tokens[0].StringValue, out _)
                 && Granularity.TryParse(JsonValue.Create(tokens[0].StringValue), out var period, out _))
        {
            result = period;
        }
        else if (tokens.Count == 6 && tokens[0].IsWord("FLOOR") && tokens[1].IsSymbol("(") && tokens[2].Name == "__time" && tokens[3].IsWord("TO") && tokens[5].IsSymbol(")")
                 && Granularity.TryParse(JsonValue.Create(tokens[4].Text), out var floor, out _))
        {
            result = floor;
        }
        else if (tokens.Count == 6 && tokens[0].IsWord("TIME_FLOOR") && tokens[1].IsSymbol("(") && tokens[2].Name == "__time" && tokens[3].IsSymbol(",")
                 && tokens[4].Kind == SqlTokenKind.String && tokens[5].IsSymbol(")") && Granularity.TryParse(JsonValue.Create(tokens[4].StringValue), out var timeFloor, out _))
        {
            result = timeFloor;
        }

        return result is { IsNone: false } ? result : throw MsqErrors.Invalid($"Invalid granularity['{text}'] specified after PARTITIONED BY clause. Expected {GranularityList}");
    }

    private static bool IsPeriodWord(string word) => word.StartsWith('P') && IsoPeriod.TryParse(word, out _);

    /// <summary>Tokens outside any parentheses.</summary>
    internal static IEnumerable<SqlToken> TopLevel(IEnumerable<SqlToken> tokens)
    {
        var depth = 0;
        foreach (var t in tokens)
        {
            if (t.IsSymbol("("))
            {
                depth++;
            }
            else if (t.IsSymbol(")"))
            {
                depth--;
            }
            else if (depth == 0)
            {
                yield return t;
            }
        }
    }

    /// <summary>Splits a token list at top-level commas.</summary>
    internal static List<List<SqlToken>> Split(IReadOnlyList<SqlToken> tokens)
    {
        var items = new List<List<SqlToken>> { new() };
        var depth = 0;
        foreach (var t in tokens)
        {
            if (t.IsSymbol("("))
            {
                depth++;
            }
            else if (t.IsSymbol(")"))
            {
                depth--;
            }

            if (depth == 0 && t.IsSymbol(","))
            {
                items.Add([]);
            }
            else
            {
                items[^1].Add(t);
            }
        }

        return items.Where(i => i.Count > 0).ToList();
    }

    private static int Depth(List<SqlToken> tokens, int from, int to)
    {
        var depth = 0;
        for (var i = from; i < to; i++)
        {
            depth += tokens[i].IsSymbol("(") ? 1 : tokens[i].IsSymbol(")") ? -1 : 0;
        }

        return depth;
    }

    private static bool At(List<SqlToken> tokens, int pos, string word) => pos < tokens.Count && tokens[pos].IsWord(word);

    private static void Expect(List<SqlToken> tokens, int pos, string word)
    {
        if (pos >= tokens.Count)
        {
            throw UnexpectedEnd(tokens);
        }

        if (!tokens[pos].IsWord(word))
        {
            throw Unexpected(tokens[pos], word);
        }
    }

    internal static Errors.DruidException Unexpected(SqlToken token, string expected) =>
        MsqErrors.Parse($"Received an unexpected token [{token.Text}] (line [{token.Line}], column [{token.Column}]), acceptable options: [{expected}]", token.Line, token.Column);

    private static Errors.DruidException UnexpectedEnd(List<SqlToken> tokens)
    {
        var last = tokens.Count > 0 ? tokens[^1] : new SqlToken(SqlTokenKind.Space, "", 0, 1, 1);
        var column = last.Column + last.Text.Length;
        return MsqErrors.Parse($"Received an unexpected token [<EOF>] (line [{last.Line}], column [{column}]), acceptable options: [SELECT]", last.Line, column);
    }
}
