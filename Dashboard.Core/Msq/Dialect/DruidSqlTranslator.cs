using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Engine;


namespace Dashboard.Core.Msq.Dialect;

/// <summary>An external input a query reads: Druid's EXTERN(inputSource, inputFormat, signature).</summary>
public sealed record ExternSource(string View, JsonObject InputSource, JsonObject InputFormat, IReadOnlyList<(string Name, string Type)> Signature);

/// <summary>The SELECT of a query in DuckDB SQL, with the external inputs and datasources it reads (as views to create).</summary>
public sealed record TranslatedQuery(string Sql, IReadOnlyList<ExternSource> Externs, IReadOnlyList<string> DataSources)
{
    /// <summary>The system tables (<c>sys.*</c>, <c>INFORMATION_SCHEMA.*</c>) read, when the caller allows them (the interactive endpoint).</summary>
    public IReadOnlyList<string> SystemTables { get; init; } = [];
}

/// <summary>
/// Translates Druid SQL's SELECT into DuckDB SQL: EXTERN and datasource references become views, Druid's time functions
/// become DuckDB expressions (ISO periods become intervals here, since DuckDB cannot parse them), LATEST/EARLIEST become
/// arg_max/arg_min, APPROX_COUNT_DISTINCT is counted exactly.
/// </summary>
public sealed class DruidSqlTranslator
{
    private static readonly System.Collections.Frozen.FrozenSet<string> TimeUnits = System.Collections.Frozen.FrozenSet.ToFrozenSet(
        ["MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR", "DECADE", "CENTURY", "MILLENNIUM"], StringComparer.OrdinalIgnoreCase);

    private readonly IReadOnlyList<SqlToken> _tokens;
    private readonly DateTimeOffset _now;
    private readonly SqlTimeZone _zone;
    private readonly List<ExternSource> _externs = [];
    private readonly List<string> _dataSources = [];
    private readonly List<string> _systemTables = [];
    private bool _allowSystemTables;
    private readonly HashSet<string> _ctes = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlySet<int> _tableReferences;
    private readonly Dictionary<SqlToken, int> _index;

    private DruidSqlTranslator(IReadOnlyList<SqlToken> tokens, DateTimeOffset now, SqlTimeZone zone, IReadOnlySet<int> tableReferences)
    {
        _tokens = tokens;
        _tableReferences = tableReferences;
        _index = new Dictionary<SqlToken, int>(tokens.Count, ReferenceEqualityComparer.Instance);
        for (var i = 0; i < tokens.Count; i++)
        {
            _index[tokens[i]] = i;
        }
        _now = now;
        _zone = zone;
    }

    /// <summary>
    /// Translates a SELECT whose time functions and TIMESTAMP literals are evaluated in <paramref name="zone"/>, after
    /// <see cref="DruidSqlChecker"/> has refused anything that is not Druid SQL. The result is built from the checked
    /// tokens only: function names are the allow-list's, table positions are views, non-ASCII words are quoted names.
    /// </summary>
    public static TranslatedQuery Translate(IReadOnlyList<SqlToken> select, DateTimeOffset now, SqlTimeZone zone) =>
        Translate(select, now, zone, expression: false);

    /// <summary>
    /// As <see cref="Translate(IReadOnlyList{SqlToken}, DateTimeOffset, SqlTimeZone)"/>, with <c>sys.*</c> and
    /// <c>INFORMATION_SCHEMA.*</c> table references allowed (the interactive endpoint fills them into its session).
    /// </summary>
    public static TranslatedQuery TranslateWithSystemTables(IReadOnlyList<SqlToken> select, DateTimeOffset now, SqlTimeZone zone) =>
        Translate(select, now, zone, expression: false, systemTables: true);

    /// <summary>Translates one expression (a CLUSTERED BY item): no FROM clause, the same checks.</summary>
    public static TranslatedQuery TranslateExpression(IReadOnlyList<SqlToken> expression, DateTimeOffset now, SqlTimeZone zone) =>
        Translate(expression, now, zone, expression: true);

    private static TranslatedQuery Translate(IReadOnlyList<SqlToken> select, DateTimeOffset now, SqlTimeZone zone, bool expression, bool systemTables = false)
    {
        var check = DruidSqlChecker.Check(select, expression);
        var translator = new DruidSqlTranslator(select, now, zone, check.TableReferences) { _allowSystemTables = systemTables };
        translator._ctes.UnionWith(check.Ctes);
        var sql = translator.Range(0, select.Count);
        return new TranslatedQuery(sql, translator._externs, translator._dataSources.Distinct().ToList())
        {
            SystemTables = translator._systemTables.Distinct(StringComparer.OrdinalIgnoreCase).ToList(),
        };
    }

    private string Range(int from, int to)
    {
        var sb = new StringBuilder();
        for (var i = from; i < to; i++)
        {
            var t = _tokens[i];
            if (t.IsWord("TABLE") && At(i + 1, "(") && i + 2 < to && _tokens[i + 2].IsWord("EXTERN"))
            {
                var close = Close(i + 1);
                sb.Append(Extern(i + 2, out var index)).Append(' ');
                i = ExtendColumns(close + 1, to, index);
                continue;
            }

            if (t.IsWord("EXTERN") && At(i + 1, "("))
            {
                var view = Extern(i, out var index);
                i = ExtendColumns(Close(i + 1) + 1, to, index);
                sb.Append(view).Append(' ');
                continue;
            }

            if (IsTableReference(i))
            {
                var (name, last) = QualifiedName(i);
                sb.Append(IsSystemTable(name) ? SystemTableView(name) : DataSourceView(name)).Append(' ');
                i = last;
                continue;
            }

            if (t.Kind == SqlTokenKind.Word && At(i + 1, "("))
            {
                var close = Close(i + 1);
                sb.Append(Function(t.Text.ToUpperInvariant(), i + 2, close)).Append(' ');
                i = close;
                continue;
            }

            // TIMESTAMP '...' is wall-clock time in sqlTimeZone: it becomes the UTC instant it names.
            if (!_zone.IsUtc && t.IsWord("TIMESTAMP") && i + 1 < to && _tokens[i + 1].Kind == SqlTokenKind.String && _zone.TryParseLiteral(_tokens[i + 1].StringValue, out var instant))
            {
                sb.Append(Sql.Timestamp(instant)).Append(' ');
                i++;
                continue;
            }

            if (t.IsWord("CURRENT_TIMESTAMP"))
            {
                sb.Append(Sql.Timestamp(_now)).Append(' ');
                continue;
            }

            // A non-ASCII word is an identifier to Druid; quoted, DuckDB cannot read it as a keyword either.
            sb.Append(t.Kind == SqlTokenKind.Word && !System.Text.Ascii.IsValid(t.Text) ? Sql.Name(t.Text) : t.Text).Append(' ');
        }

        return sb.ToString().TrimEnd();
    }

    private string Function(string name, int from, int to)
    {
        var args = DruidSqlParser.Split(_tokens.Skip(from).Take(to - from).ToList());
        string Arg(int k) => k < args.Count ? Range(IndexOf(args[k][0]), IndexOf(args[k][^1]) + 1) : throw MsqErrors.Invalid($"{name}() needs at least {k + 1} argument(s).");
        string? Literal(int k) => k < args.Count && args[k].Count == 1 && args[k][0].Kind == SqlTokenKind.String ? args[k][0].StringValue : null;

        SqlTimeZone Zone(int k) => Literal(k) is not { } id ? _zone
            : SqlTimeZone.TryParse(id, out var zone) ? zone
            : throw MsqErrors.Invalid($"{name}() time zone [{id}] is not a time zone: use an IANA name such as America/Los_Angeles, or an offset such as +05:30.");

        switch (name)
        {
            case "TIME_PARSE":
                return TimeParse(Arg(0), Literal(1), Zone(2));
            case "TIME_FLOOR":
            {
                var zone = Zone(3);
                var origin = args.Count > 2 && !IsNull(args[2]) ? zone.ToLocal(Arg(2)) : Origin(Literal(1));
                return zone.FromLocal($"time_bucket({Interval(Literal(1), name)}, {zone.ToLocal(Arg(0))}, {origin})");
            }
            case "TIME_CEIL":
            {
                var zone = Zone(3);
                var local = zone.ToLocal(Arg(0));
                var origin = args.Count > 2 && !IsNull(args[2]) ? zone.ToLocal(Arg(2)) : Origin(Literal(1));
                var floor = $"time_bucket({Interval(Literal(1), name)}, {local}, {origin})";
                return zone.FromLocal($"({floor} + CASE WHEN {floor} = {local} THEN INTERVAL '0 seconds' ELSE {Interval(Literal(1), name)} END)");
            }
            case "TIME_SHIFT":
            {
                var zone = Zone(3);
                return zone.FromLocal($"({zone.ToLocal(Arg(0))} + CAST({Arg(2)} AS BIGINT) * {Interval(Literal(1), name)})");
            }
            case "TIME_FORMAT":
            {
                var zone = Zone(2);
                return Literal(1) is { } format
                    ? $"strftime({zone.ToLocal(Arg(0))}, {Sql.Literal(Strptime(format))})"
                    : zone.IsUtc ? $"strftime({Arg(0)}, '%Y-%m-%dT%H:%M:%S.%gZ')"
                    : $"(strftime({zone.ToLocal(Arg(0))}, '%Y-%m-%dT%H:%M:%S.%g') || {zone.OffsetText(Arg(0))})";
            }
            case "TIME_EXTRACT":
                return $"date_part({Sql.Literal((Literal(1) ?? "MILLISECOND").ToLowerInvariant())}, {Zone(2).ToLocal(Arg(0))})";
            case "MILLIS_TO_TIMESTAMP":
                return $"epoch_ms(CAST({Arg(0)} AS BIGINT))";
            case "TIMESTAMP_TO_MILLIS":
                return $"epoch_ms({Arg(0)})";
            case "FLOOR" or "CEIL" when args.Count == 1 && args[0].Count >= 3 && args[0][^2].IsWord("TO"):
                var unit = args[0][^1] is { Kind: SqlTokenKind.Word } u && TimeUnits.Contains(u.Text)
                    ? u.Text.ToLowerInvariant()
                    : throw MsqErrors.Invalid($"{name}(... TO unit) needs a time unit such as DAY or HOUR ({string.Join(", ", TimeUnits.Order())}), got [{args[0][^1].Text}].");
                var value = _zone.ToLocal(Range(IndexOf(args[0][0]), IndexOf(args[0][^2])));
                return _zone.FromLocal(name == "FLOOR"
                    ? $"date_trunc('{unit}', {value})"
                    : $"(date_trunc('{unit}', {value}) + CASE WHEN date_trunc('{unit}', {value}) = {value} THEN INTERVAL '0 seconds' ELSE INTERVAL '1 {unit}' END)");
            case "LATEST":
                return $"arg_max({Arg(0)}, \"__time\")";
            case "EARLIEST":
                return $"arg_min({Arg(0)}, \"__time\")";
            case "LATEST_BY":
                return $"arg_max({Arg(0)}, {Arg(1)})";
            case "EARLIEST_BY":
                return $"arg_min({Arg(0)}, {Arg(1)})";
            case "APPROX_COUNT_DISTINCT" or "APPROX_COUNT_DISTINCT_BUILTIN" or "APPROX_COUNT_DISTINCT_DS_HLL" or "APPROX_COUNT_DISTINCT_DS_THETA":
                return $"count(DISTINCT {Arg(0)})";
            case "NVL":
                return $"coalesce({Arg(0)}, {Arg(1)})";
            case "CONCAT":
                // Druid's CONCAT is null when an argument is (DuckDB's concat skips nulls; its || does not).
                return $"({string.Join(" || ", args.Select((_, k) => $"CAST({Arg(k)} AS VARCHAR)"))})";
            default:
                // Keywords before "(" (IN, OVER, AS, ...) stay as written; a call is written with the allow-list's DuckDB name.
                var written = DruidSqlFunctions.TryGetDuckDbName(name, out var duckDbName) ? duckDbName : _tokens[from - 2].Text;
                return $"{written}({(from < to ? Range(from, to) : "")})";
        }
    }

    /// <summary>
    /// TIME_PARSE: a string with an explicit offset (or Z) is that instant; one without is wall-clock time in the zone.
    /// In UTC both are the same cast, so the common case stays one cheap expression.
    /// </summary>
    private static string TimeParse(string value, string? pattern, SqlTimeZone zone)
    {
        var text = $"CAST({value} AS VARCHAR)";
        if (pattern is not null)
        {
            var format = Strptime(pattern);
            var parsed = $"try_strptime({text}, {Sql.Literal(format)})";
            return format.Contains("%z", StringComparison.Ordinal) || format.Contains("%Z", StringComparison.Ordinal) || zone.IsUtc
                ? $"CAST({parsed} AS TIMESTAMP)"
                : zone.FromLocal($"CAST({parsed} AS TIMESTAMP)");
        }

        var instant = $"CAST(TRY_CAST({text} AS TIMESTAMPTZ) AS TIMESTAMP)";
        return zone.IsUtc
            ? instant
            : $"(CASE WHEN regexp_matches({text}, 'T[0-9:.,]*([zZ]|[+-][0-9]{{2}}(:?[0-9]{{2}})?)$') THEN {instant} ELSE {zone.FromLocal($"TRY_CAST({text} AS TIMESTAMP)")} END)";
    }

    /// <summary>A Joda time pattern as strptime's; one this server cannot convert is a 400 naming it.</summary>
    private static string Strptime(string joda)
    {
        try
        {
            return JodaPattern.ToStrptime(joda);
        }
        catch (FormatException ex)
        {
            throw MsqErrors.Invalid($"{ex.Message} Use a Joda pattern of y, M, d, H, m, s, S, Z and literal text, such as 'yyyy-MM-dd HH:mm:ss'.");
        }
    }

    private static bool IsNull(IReadOnlyList<SqlToken> arg) => arg.Count == 1 && arg[0].IsWord("NULL");

    private string Interval(string? period, string function) =>
        period is not null && IsoPeriod.TryParse(period, out var p)
            ? p.Years > 0 || p.Months > 0 ? $"INTERVAL '{p.Years * 12 + p.Months} months'" : $"INTERVAL '{(long)p.FixedPart.TotalMilliseconds} milliseconds'"
            : throw MsqErrors.Invalid($"{function}() needs an ISO-8601 period literal such as 'PT1H' or 'P1D' as its second argument, got [{period ?? "an expression"}].");

    private static string Origin(string? period) =>
        period is not null && IsoPeriod.TryParse(period, out var p) && p.Weeks > 0 && p.Days == 0 && p.Hours == 0 ? "TIMESTAMP '1970-01-05'" : "TIMESTAMP '1970-01-01'";

    /// <summary>EXTERN(inputSource, inputFormat[, signature]) with positional or named (=>) arguments; returns the view name.</summary>
    private string Extern(int externWord, out int index)
    {
        var closeParen = Close(externWord + 1);
        var args = DruidSqlParser.Split(_tokens.Skip(externWord + 2).Take(closeParen - externWord - 2).ToList());
        string? inputSource = null, inputFormat = null, signature = null;
        for (var k = 0; k < args.Count; k++)
        {
            var arg = args[k];
            var named = arg.Count >= 3 && arg[1].IsSymbol("=>");
            var literal = arg[^1];
            if (literal.Kind != SqlTokenKind.String)
            {
                throw MsqErrors.Invalid("EXTERN arguments must be string literals holding JSON: EXTERN('<inputSource>', '<inputFormat>', '<signature>').");
            }

            var key = named ? arg[0].Name.ToLowerInvariant() : k switch { 0 => "inputsource", 1 => "inputformat", _ => "signature" };
            switch (key)
            {
                case "inputsource": inputSource = literal.StringValue; break;
                case "inputformat": inputFormat = literal.StringValue; break;
                default: signature = literal.StringValue; break;
            }
        }

        JsonObject ParseObject(string? json, string what) =>
            (json is null ? null : TryParse(json) as JsonObject) ?? throw MsqErrors.Invalid($"EXTERN needs {what} as a JSON object, got [{json}].");
        var columns = new List<(string, string)>();
        if (signature is not null)
        {
            if (TryParse(signature) is not JsonArray array)
            {
                throw MsqErrors.Invalid($"EXTERN's signature must be a JSON array of {{\"name\", \"type\"}}, got [{signature}].");
            }

            columns.AddRange(array.Select(c => c is JsonObject { } column && Text(column["name"]) is { Length: > 0 } name
                ? (name, column["type"] is null ? "string" : Text(column["type"]) ?? throw SignatureError(signature))
                : throw SignatureError(signature)));
        }

        index = _externs.Count;
        var view = $"__extern_{index}";
        _externs.Add(new ExternSource(view, ParseObject(inputSource, "an inputSource"), ParseObject(inputFormat, "an inputFormat"), columns));
        return view;
    }

    /// <summary>An optional [EXTEND] (name TYPE, ...) after EXTERN sets its signature. Returns the index of the last token used.</summary>
    private int ExtendColumns(int next, int to, int externIndex = -1)
    {
        var index = externIndex >= 0 ? externIndex : _externs.Count - 1;
        var start = next;
        if (start < to && _tokens[start].IsWord("EXTEND"))
        {
            start++;
        }

        if (start >= to || !_tokens[start].IsSymbol("(") || (start == next && !LooksLikeColumnList(start)))
        {
            return next - 1;
        }

        var close = Close(start);
        var columns = DruidSqlParser.Split(_tokens.Skip(start + 1).Take(close - start - 1).ToList())
            .Select(c => (c[0].Name, DruidType(string.Join(" ", c.Skip(1).Select(t => t.Text))))).ToList();
        _externs[index] = _externs[index] with { Signature = columns };
        return close;
    }

    private bool LooksLikeColumnList(int open) =>
        open + 2 < _tokens.Count && _tokens[open + 1].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && _tokens[open + 2].Kind == SqlTokenKind.Word;

    private static string DruidType(string sqlType) => sqlType.ToUpperInvariant() switch
    {
        "BIGINT" or "INTEGER" or "INT" or "SMALLINT" or "TINYINT" or "LONG" => "long",
        "DOUBLE" or "DECIMAL" or "REAL" => "double",
        "FLOAT" => "float",
        "TIMESTAMP" => "string",
        _ => "string",
    };

    private bool IsTableReference(int i)
    {
        var t = _tokens[i];
        if (t.Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) || i == 0)
        {
            return false;
        }

        if (!_tableReferences.Contains(i) || (_ctes.Contains(t.Name) && !At(i + 1, ".")))
        {
            return false;
        }

        var (name, _) = QualifiedName(i);
        if (IsSystemTable(name) && !_allowSystemTables)
        {
            throw MsqErrors.Invalid($"Cannot query table(s) [{name}] with SQL engine [msq-task]");
        }

        return true;
    }

    private (string Name, int Last) QualifiedName(int i)
    {
        var parts = new List<string> { _tokens[i].Name };
        var last = i;
        while (last + 2 < _tokens.Count && _tokens[last + 1].IsSymbol(".") && _tokens[last + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
        {
            parts.Add(_tokens[last + 2].Name);
            last += 2;
        }

        if (parts.Count == 2 && parts[0].Equals("druid", StringComparison.OrdinalIgnoreCase))
        {
            parts.RemoveAt(0);
        }

        return (string.Join(".", parts), last);
    }

    private static bool IsSystemTable(string name) =>
        name.StartsWith("sys.", StringComparison.OrdinalIgnoreCase) || name.StartsWith("INFORMATION_SCHEMA.", StringComparison.OrdinalIgnoreCase);

    private string SystemTableView(string name)
    {
        var known = Query.SystemTableSchemas.Tables.Keys.FirstOrDefault(k => k.Equals(name, StringComparison.OrdinalIgnoreCase))
                    ?? throw MsqErrors.Invalid($"Table [{name}] not found: the system tables are {string.Join(", ", Query.SystemTableSchemas.Tables.Keys)}.");
        _systemTables.Add(known);
        return Sql.Name(Query.SystemTableSchemas.ViewOf(known));
    }

    private string DataSourceView(string name)
    {
        _dataSources.Add(name);
        return Sql.Name("__ds_" + name);
    }

    private int Close(int open)
    {
        var depth = 0;
        for (var i = open; i < _tokens.Count; i++)
        {
            depth += _tokens[i].IsSymbol("(") ? 1 : _tokens[i].IsSymbol(")") ? -1 : 0;
            if (depth == 0)
            {
                return i;
            }
        }

        var t = _tokens[open];
        throw MsqErrors.Parse($"Received an unexpected token [<EOF>] (line [{t.Line}], column [{t.Column}]), acceptable options: [\")\"]", t.Line, t.Column);
    }

    private int IndexOf(SqlToken token) => _index.TryGetValue(token, out var i) ? i : -1;

    private static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static Errors.DruidException SignatureError(string signature) =>
        MsqErrors.Invalid($"EXTERN's signature must be a JSON array of {{\"name\": \"...\", \"type\": \"...\"}} objects with string values, got [{signature}].");

    private bool At(int i, string symbol) => i < _tokens.Count && _tokens[i].IsSymbol(symbol);

    private static JsonNode? TryParse(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
