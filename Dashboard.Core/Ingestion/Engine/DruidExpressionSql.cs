using System.Globalization;
using System.Text;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>
/// Translates Druid's native expression language (as used by transformSpec transforms) into DuckDB SQL.
/// Supports literals, identifiers (bare or "quoted"), + - * / % ^, comparisons, && || !, and the functions Druid
/// ingestion specs commonly use. <c>__time</c> is the row time in epoch milliseconds, as in Druid.
/// </summary>
public sealed class DruidExpressionSql
{
    private readonly string _text;
    private readonly Func<string, string> _column;
    private int _pos;

    private DruidExpressionSql(string text, Func<string, string> column)
    {
        _text = text;
        _column = column;
    }

    /// <summary>The names of the fields an expression reads.</summary>
    public static IReadOnlySet<string> FieldsOf(string expression)
    {
        var fields = new HashSet<string>(StringComparer.Ordinal);
        Translate(expression, name =>
        {
            fields.Add(name);
            return Sql.Name(name);
        });
        return fields;
    }

    /// <summary>The SQL for <paramref name="expression"/>; <paramref name="column"/> maps a field name to its SQL.</summary>
    public static string Translate(string expression, Func<string, string> column)
    {
        var parser = new DruidExpressionSql(expression, column);
        var sql = parser.ParseOr();
        parser.SkipSpace();
        if (parser._pos < parser._text.Length)
        {
            throw parser.Error($"unexpected '{parser._text[parser._pos]}'");
        }

        return sql;
    }

    private string ParseOr()
    {
        var left = ParseAnd();
        while (Accept("||"))
        {
            left = $"({Bool(left)} OR {Bool(ParseAnd())})";
        }

        return left;
    }

    private string ParseAnd()
    {
        var left = ParseComparison();
        while (Accept("&&"))
        {
            left = $"({Bool(left)} AND {Bool(ParseComparison())})";
        }

        return left;
    }

    private string ParseComparison()
    {
        var left = ParseAdditive();
        foreach (var op in new[] { "==", "!=", "<=", ">=", "<", ">" })
        {
            if (Accept(op))
            {
                var right = ParseAdditive();
                var sqlOp = op switch { "==" => "=", "!=" => "<>", _ => op };
                return $"(CASE WHEN {left} {sqlOp} {right} THEN 1 ELSE 0 END)";
            }
        }

        return left;
    }

    private string ParseAdditive()
    {
        var left = ParseMultiplicative();
        while (true)
        {
            if (Accept("+"))
            {
                left = $"({Num(left)} + {Num(ParseMultiplicative())})";
            }
            else if (Peek('-') && !Peek("->"))
            {
                _pos++;
                left = $"({Num(left)} - {Num(ParseMultiplicative())})";
            }
            else
            {
                return left;
            }
        }
    }

    private string ParseMultiplicative()
    {
        var left = ParseUnary();
        while (true)
        {
            if (Accept("*"))
            {
                left = $"({Num(left)} * {Num(ParseUnary())})";
            }
            else if (Accept("/"))
            {
                left = $"({Num(left)} / NULLIF({Num(ParseUnary())}, 0))";
            }
            else if (Accept("%"))
            {
                left = $"({Num(left)} % NULLIF({Num(ParseUnary())}, 0))";
            }
            else if (Accept("^"))
            {
                left = $"power({Num(left)}, {Num(ParseUnary())})";
            }
            else
            {
                return left;
            }
        }
    }

    private string ParseUnary()
    {
        if (Accept("!"))
        {
            return $"(CASE WHEN {Bool(ParseUnary())} THEN 0 ELSE 1 END)";
        }

        if (Accept("-"))
        {
            return $"(-{Num(ParseUnary())})";
        }

        return ParsePrimary();
    }

    private string ParsePrimary()
    {
        SkipSpace();
        if (_pos >= _text.Length)
        {
            throw Error("the expression ends too early");
        }

        var c = _text[_pos];
        if (c == '(')
        {
            _pos++;
            var inner = ParseOr();
            Expect(")");
            return inner;
        }

        if (c == '\'')
        {
            return Sql.Literal(ReadQuoted('\''));
        }

        if (c == '"')
        {
            return _column(ReadQuoted('"'));
        }

        if (char.IsDigit(c) || c == '.')
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsDigit(_text[_pos]) || _text[_pos] is '.' or 'e' or 'E'))
            {
                _pos++;
            }

            var number = _text[start.._pos];
            return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _) ? number : throw Error($"bad number [{number}]");
        }

        if (char.IsLetter(c) || c is '_' or '$')
        {
            var start = _pos;
            while (_pos < _text.Length && (char.IsLetterOrDigit(_text[_pos]) || _text[_pos] is '_' or '$' or '.'))
            {
                _pos++;
            }

            var name = _text[start.._pos];
            if (Accept("("))
            {
                var args = new List<string>();
                if (!Accept(")"))
                {
                    do
                    {
                        args.Add(ParseOr());
                    }
                    while (Accept(","));
                    Expect(")");
                }

                return Function(name, args);
            }

            return name switch
            {
                "null" => "NULL",
                "true" => "1",
                "false" => "0",
                _ => _column(name),
            };
        }

        throw Error($"unexpected '{c}'");
    }

    private string Function(string name, List<string> a)
    {
        string Arg(int i) => i < a.Count ? a[i] : throw Error($"{name}() needs at least {i + 1} argument(s)");
        return name.ToLowerInvariant() switch
        {
            "concat" => a.Count == 0 ? "''" : $"({string.Join(" || ", a.Select(Str))})",
            "upper" => $"upper({Str(Arg(0))})",
            "lower" => $"lower({Str(Arg(0))})",
            "strlen" => $"length({Str(Arg(0))})",
            "trim" => $"trim({Str(Arg(0))})",
            "ltrim" => $"ltrim({Str(Arg(0))})",
            "rtrim" => $"rtrim({Str(Arg(0))})",
            "substring" => $"substring({Str(Arg(0))}, CAST({Arg(1)} AS BIGINT) + 1, CAST({Arg(2)} AS BIGINT))",
            "left" => $"left({Str(Arg(0))}, CAST({Arg(1)} AS BIGINT))",
            "right" => $"right({Str(Arg(0))}, CAST({Arg(1)} AS BIGINT))",
            "replace" => $"replace({Str(Arg(0))}, {Str(Arg(1))}, {Str(Arg(2))})",
            "strpos" => $"(strpos({Str(Arg(0))}, {Str(Arg(1))}) - 1)",
            "contains_string" => $"(CASE WHEN contains({Str(Arg(0))}, {Str(Arg(1))}) THEN 1 ELSE 0 END)",
            "like" => $"(CASE WHEN {Str(Arg(0))} LIKE {Str(Arg(1))} THEN 1 ELSE 0 END)",
            "regexp_extract" => $"regexp_extract({Str(Arg(0))}, {Str(Arg(1))}, {(a.Count > 2 ? a[2] : "0")})",
            "nvl" => $"coalesce({Arg(0)}, {Arg(1)})",
            "isnull" => $"(CASE WHEN {Arg(0)} IS NULL THEN 1 ELSE 0 END)",
            "notnull" => $"(CASE WHEN {Arg(0)} IS NOT NULL THEN 1 ELSE 0 END)",
            "if" => $"(CASE WHEN {Bool(Arg(0))} THEN {Arg(1)} ELSE {Arg(2)} END)",
            "case_searched" => CaseSearched(a),
            "case_simple" => CaseSimple(a),
            "abs" => $"abs({Num(Arg(0))})",
            "floor" => $"floor({Num(Arg(0))})",
            "ceil" => $"ceil({Num(Arg(0))})",
            "round" => a.Count > 1 ? $"round({Num(Arg(0))}, CAST({Arg(1)} AS INTEGER))" : $"round({Num(Arg(0))})",
            "sqrt" => $"sqrt({Num(Arg(0))})",
            "greatest" => $"greatest({string.Join(", ", a)})",
            "least" => $"least({string.Join(", ", a)})",
            "cast" => Cast(Arg(0), Arg(1)),
            "timestamp" or "timestamp_parse" => a.Count > 1
                ? $"epoch_ms(try_strptime({Str(Arg(0))}, {JodaPattern.ToStrptimeSql(Arg(1))}))"
                : $"epoch_ms(TRY_CAST({Str(Arg(0))} AS TIMESTAMPTZ))",
            "timestamp_floor" => $"epoch_ms({PeriodBucket(Arg(0), Arg(1))})",
            "timestamp_ceil" => $"epoch_ms({PeriodBucket(Arg(0), Arg(1))}) + (CASE WHEN epoch_ms({PeriodBucket(Arg(0), Arg(1))}) = {Num(Arg(0))} THEN 0 ELSE epoch_ms(make_timestamp(0) + CAST({Period(Arg(1))} AS INTERVAL)) END)",
            "timestamp_format" => a.Count > 1
                ? $"strftime(make_timestamp(CAST({Num(Arg(0))} AS BIGINT) * 1000), {JodaPattern.ToStrptimeSql(Arg(1))})"
                : $"strftime(make_timestamp(CAST({Num(Arg(0))} AS BIGINT) * 1000), '%Y-%m-%dT%H:%M:%S.%gZ')",
            "timestamp_extract" => $"date_part({Arg(1)}, make_timestamp(CAST({Num(Arg(0))} AS BIGINT) * 1000))",
            _ => throw Error($"function {name}() is not supported"),
        };
    }

    private string CaseSearched(List<string> a)
    {
        var sb = new StringBuilder("(CASE");
        for (var i = 0; i + 1 < a.Count; i += 2)
        {
            sb.Append($" WHEN {Bool(a[i])} THEN {a[i + 1]}");
        }

        if (a.Count % 2 == 1)
        {
            sb.Append($" ELSE {a[^1]}");
        }

        return sb.Append(" END)").ToString();
    }

    private string CaseSimple(List<string> a)
    {
        var sb = new StringBuilder($"(CASE {a[0]}");
        for (var i = 1; i + 1 < a.Count; i += 2)
        {
            sb.Append($" WHEN {a[i]} THEN {a[i + 1]}");
        }

        if (a.Count % 2 == 0)
        {
            sb.Append($" ELSE {a[^1]}");
        }

        return sb.Append(" END)").ToString();
    }

    private string Cast(string value, string type) => type.Trim('\'').ToUpperInvariant() switch
    {
        "LONG" => $"TRY_CAST({value} AS BIGINT)",
        "DOUBLE" => $"TRY_CAST({value} AS DOUBLE)",
        "FLOAT" => $"TRY_CAST({value} AS FLOAT)",
        "STRING" => $"CAST({value} AS VARCHAR)",
        var other => throw Error($"cast to [{other}] is not supported"),
    };

    private string PeriodBucket(string millis, string period) =>
        $"time_bucket(CAST({Period(period)} AS INTERVAL), make_timestamp(CAST({Num(millis)} AS BIGINT) * 1000), TIMESTAMP '1970-01-01 00:00:00')";

    private string Period(string periodLiteral)
    {
        var text = periodLiteral.Trim('\'');
        return Common.IsoPeriod.TryParse(text, out var p)
            ? Sql.Literal(p.Years > 0 || p.Months > 0 ? $"{p.Years * 12 + p.Months} months" : $"{(long)p.FixedPart.TotalMilliseconds} milliseconds")
            : throw Error($"[{text}] is not an ISO-8601 period");
    }

    private static string Num(string sql) => $"TRY_CAST({sql} AS DOUBLE)";

    private static string Str(string sql) => $"CAST({sql} AS VARCHAR)";

    private static string Bool(string sql) => $"(coalesce(TRY_CAST({sql} AS DOUBLE), 0) <> 0)";

    private void SkipSpace()
    {
        while (_pos < _text.Length && char.IsWhiteSpace(_text[_pos]))
        {
            _pos++;
        }
    }

    private bool Peek(char c)
    {
        SkipSpace();
        return _pos < _text.Length && _text[_pos] == c;
    }

    private bool Peek(string s)
    {
        SkipSpace();
        return string.CompareOrdinal(_text, _pos, s, 0, s.Length) == 0;
    }

    private bool Accept(string token)
    {
        if (!Peek(token))
        {
            return false;
        }

        // "=" alone is not "==", "<" must not swallow "<=", etc.
        if (token is "<" or ">" && _pos + 1 < _text.Length && _text[_pos + 1] == '=')
        {
            return false;
        }

        _pos += token.Length;
        return true;
    }

    private void Expect(string token)
    {
        if (!Accept(token))
        {
            throw Error($"expected '{token}'");
        }
    }

    private string ReadQuoted(char quote)
    {
        _pos++;
        var sb = new StringBuilder();
        while (_pos < _text.Length && _text[_pos] != quote)
        {
            if (_text[_pos] == '\\' && _pos + 1 < _text.Length)
            {
                _pos++;
            }

            sb.Append(_text[_pos++]);
        }

        if (_pos >= _text.Length)
        {
            throw Error($"unterminated {quote}quoted{quote} text");
        }

        _pos++;
        return sb.ToString();
    }

    private DruidException Error(string what) =>
        DruidException.ErrorMap(400, $"Cannot parse expression [{_text}] at position {_pos}: {what}.");
}
