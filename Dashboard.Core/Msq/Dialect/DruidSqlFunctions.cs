using System.Collections.Frozen;
using System.Text;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>
/// The one allow-list of the Druid SQL functions this server runs. A call to any other name is refused at planning with
/// Calcite's "No match found for function signature" (druid-behaviour.md), so no DuckDB function (read_csv, glob,
/// current_setting, getenv, ...) can be reached from SQL. The workbench's completion list is this list too.
/// </summary>
public static class DruidSqlFunctions
{
    /// <summary>Druid functions that <see cref="DruidSqlTranslator"/> rewrites into DuckDB SQL of their own.</summary>
    public static readonly IReadOnlyList<string> Translated =
    [
        "TIME_PARSE", "TIME_FLOOR", "TIME_CEIL", "TIME_SHIFT", "TIME_FORMAT", "TIME_EXTRACT", "MILLIS_TO_TIMESTAMP",
        "TIMESTAMP_TO_MILLIS", "LATEST", "EARLIEST", "LATEST_BY", "EARLIEST_BY", "APPROX_COUNT_DISTINCT",
        "APPROX_COUNT_DISTINCT_BUILTIN", "APPROX_COUNT_DISTINCT_DS_HLL", "APPROX_COUNT_DISTINCT_DS_THETA", "NVL", "CONCAT",
    ];

    /// <summary>
    /// Druid functions DuckDB runs with Druid's meaning, by Druid name, with the DuckDB name they are written as. Only
    /// ones whose arguments and results match Druid's documented behaviour are here (1-based SUBSTRING, partial-match
    /// REGEXP_LIKE, ...); a test checks that each DuckDB name exists in the embedded engine.
    /// </summary>
    public static readonly FrozenDictionary<string, string> PassThrough = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        // aggregations
        ["COUNT"] = "count", ["SUM"] = "sum", ["MIN"] = "min", ["MAX"] = "max", ["AVG"] = "avg", ["ANY_VALUE"] = "any_value",
        ["STDDEV"] = "stddev", ["STDDEV_POP"] = "stddev_pop", ["STDDEV_SAMP"] = "stddev_samp", ["VARIANCE"] = "variance",
        ["VAR_POP"] = "var_pop", ["VAR_SAMP"] = "var_samp", ["BIT_AND"] = "bit_and", ["BIT_OR"] = "bit_or", ["BIT_XOR"] = "bit_xor",
        ["BOOL_AND"] = "bool_and", ["BOOL_OR"] = "bool_or", ["STRING_AGG"] = "string_agg", ["ARRAY_AGG"] = "array_agg",
        ["GROUPING"] = "grouping",
        // window functions
        ["ROW_NUMBER"] = "row_number", ["RANK"] = "rank", ["DENSE_RANK"] = "dense_rank", ["PERCENT_RANK"] = "percent_rank",
        ["CUME_DIST"] = "cume_dist", ["NTILE"] = "ntile", ["LAG"] = "lag", ["LEAD"] = "lead", ["FIRST_VALUE"] = "first_value",
        ["LAST_VALUE"] = "last_value",
        // numbers
        ["ABS"] = "abs", ["CEIL"] = "ceil", ["FLOOR"] = "floor", ["ROUND"] = "round", ["POWER"] = "power", ["SQRT"] = "sqrt",
        ["EXP"] = "exp", ["LN"] = "ln", ["LOG10"] = "log10", ["MOD"] = "mod", ["SIN"] = "sin", ["COS"] = "cos", ["TAN"] = "tan",
        ["COT"] = "cot", ["ASIN"] = "asin", ["ACOS"] = "acos", ["ATAN"] = "atan", ["ATAN2"] = "atan2", ["DEGREES"] = "degrees",
        ["RADIANS"] = "radians", ["GREATEST"] = "greatest", ["LEAST"] = "least",
        // strings
        ["LOWER"] = "lower", ["UPPER"] = "upper", ["SUBSTRING"] = "substring", ["SUBSTR"] = "substr", ["TRIM"] = "trim",
        ["BTRIM"] = "trim", ["LTRIM"] = "ltrim", ["RTRIM"] = "rtrim", ["LENGTH"] = "length", ["CHAR_LENGTH"] = "length",
        ["CHARACTER_LENGTH"] = "length", ["STRLEN"] = "length", ["REPLACE"] = "replace", ["REVERSE"] = "reverse",
        ["REPEAT"] = "repeat", ["LPAD"] = "lpad", ["RPAD"] = "rpad", ["LEFT"] = "left", ["RIGHT"] = "right",
        ["STRPOS"] = "strpos", ["POSITION"] = "position", ["REGEXP_EXTRACT"] = "regexp_extract",
        ["REGEXP_LIKE"] = "regexp_matches", ["CONTAINS_STRING"] = "contains",
        // conditionals, types and times
        ["COALESCE"] = "coalesce", ["NULLIF"] = "nullif", ["CAST"] = "CAST", ["EXTRACT"] = "EXTRACT", ["DATE_TRUNC"] = "date_trunc",
        ["UNNEST"] = "unnest",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> TranslatedSet = Translated.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    /// <summary>Every function name a statement may call, upper case and sorted (the workbench completes these).</summary>
    public static IReadOnlyList<string> All { get; } = Translated.Concat(PassThrough.Keys).Select(n => n.ToUpperInvariant()).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="name"/> (as written, any case, ASCII only) is a function this server runs.</summary>
    public static bool IsAllowed(string name) => Ascii.IsValid(name) && (TranslatedSet.Contains(name) || PassThrough.ContainsKey(name));

    /// <summary>The DuckDB name an allowed pass-through function is written as; never the user's text.</summary>
    public static bool TryGetDuckDbName(string name, out string duckDbName)
    {
        duckDbName = "";
        return Ascii.IsValid(name) && PassThrough.TryGetValue(name, out duckDbName!);
    }
}
