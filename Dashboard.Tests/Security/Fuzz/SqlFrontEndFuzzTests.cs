using System.Diagnostics;
using Dashboard.Core.Errors;
using Dashboard.Core.Msq.Dialect;
using Dashboard.Core.Msq.Execution;
using FsCheck;
using FsCheck.Fluent;

namespace Dashboard.Tests.Security.Fuzz;

/// <summary>
/// Property-based fuzzing of the SQL front end (FsCheck): for generated and mutated statements, parsing and translating
/// only ever fail with a DruidException (a 400, never a 500), within 5 s, and whatever is translated calls only the
/// allow-list's functions and the translator's own, never reads a string as a table and never holds a second statement.
/// A failure prints FsCheck's replay seed and the input.
/// </summary>
public class SqlFrontEndFuzzTests
{
    private static readonly HashSet<string> TranslatorHelpers = new(StringComparer.OrdinalIgnoreCase)
    {
        "abs", "arg_max", "arg_min", "count", "coalesce", "date_part", "date_trunc", "epoch", "epoch_ms", "printf", "regexp_matches",
        "strftime", "time_bucket", "timezone", "try_strptime", "TRY_CAST", "CAST",
    };

    private static readonly Config Config = FuzzInputs.Config(5000);

    [Fact]
    public void MutatedStatements_OnlyDruidExceptions_InTime_AndSafeOutput() =>
        Prop.ForAll(FuzzInputs.MutatedSql(), sql => FrontEndHolds(sql)).Check(Config);

    [Fact]
    public void RandomText_OnlyDruidExceptions_InTime_AndSafeOutput() =>
        Prop.ForAll(FuzzInputs.RandomSql(), sql => FrontEndHolds(sql)).Check(FuzzInputs.Config(2500));

    [Fact]
    public void DeepNesting_IsRefusedWithA400_NotAStackOverflow()
    {
        var sql = "SELECT " + string.Concat(Enumerable.Repeat("abs(", 100_000)) + "1" + new string(')', 100_000);

        var statement = DruidSqlParser.Parse(sql);
        var error = Assert.Throws<DruidException>(() => DruidSqlTranslator.Translate(statement.Select, DateTimeOffset.UnixEpoch, statement.TimeZone));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("more than 200 levels", error.Message);
    }

    [Fact]
    public void HugeStatement_OfAHundredThousandTokens_IsTranslatedInTime()
    {
        var sql = "SELECT " + string.Join(" + ", Enumerable.Repeat("ABS(TIME_EXTRACT(__time, 'HOUR')) * LENGTH(CONCAT(x, 'y'))", 5_000)) + " AS v FROM ds, e WHERE x IN ('a', 'b')";
        var watch = Stopwatch.StartNew();

        Assert.True(FrontEndHolds(sql));

        Assert.InRange(watch.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
    }

    /// <summary>The property: a DruidException is a pass; any other exception or more than 5 s fails with the input.</summary>
    private static bool FrontEndHolds(string sql)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            var statement = DruidSqlParser.Parse(sql);
            var translated = DruidSqlTranslator.Translate(statement.Select, DateTimeOffset.UnixEpoch, statement.TimeZone);
            AssertSafe(translated.Sql, sql);
            foreach (var (_, expression) in MsqClusterKeys.Expressions(statement))
            {
                AssertSafe(expression, sql);
            }
        }
        catch (DruidException) when (watch.Elapsed < TimeSpan.FromSeconds(5))
        {
            return true;
        }
        catch (Exception ex) when (ex is not DruidException)
        {
            throw new InvalidOperationException($"{ex.GetType().Name} for [{FuzzInputs.Show(sql)}]: {ex.Message}", ex);
        }

        return watch.Elapsed < TimeSpan.FromSeconds(5) ? true : throw new TimeoutException($"{watch.Elapsed} for [{FuzzInputs.Show(sql)}]");
    }

    /// <summary>What reaches DuckDB: calls of known names only, no ";", no "$", no string where a table goes.</summary>
    private static void AssertSafe(string translated, string input)
    {
        var tokens = SqlTokenizer.Tokenize(translated).Where(t => t.Kind != SqlTokenKind.Space).ToList();
        var opened = new Stack<string>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol("("))
            {
                opened.Push(i > 0 ? tokens[i - 1].Text.ToUpperInvariant() : "");
            }
            else if (t.IsSymbol(")") && opened.Count > 0)
            {
                opened.Pop();
            }

            var expressionFrom = t.IsWord("FROM") && ((opened.TryPeek(out var call) && call is "EXTRACT" or "TRIM" or "SUBSTRING" or "SUBSTR")
                                                      || (i >= 2 && tokens[i - 1].IsWord("DISTINCT") && (tokens[i - 2].IsWord("IS") || tokens[i - 2].IsWord("NOT"))));
            var bad = t.IsSymbol(";") || t.IsSymbol("$")
                      || (t.Kind == SqlTokenKind.Word && i + 1 < tokens.Count && tokens[i + 1].IsSymbol("(") && !KnownCall(t.Text) && !IsColumnList(tokens, i))
                      || (((t.IsWord("FROM") && !expressionFrom) || t.IsWord("JOIN")) && i + 1 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.String);
            if (bad)
            {
                throw new InvalidOperationException($"Unsafe translation [{translated}] at [{t.Text}] of input [{FuzzInputs.Show(input)}]");
            }
        }
    }

    /// <summary>An alias's or a CTE's column list: after a word, "," or ")", and names and commas only inside (never a call's arguments).</summary>
    private static bool IsColumnList(List<SqlToken> tokens, int i)
    {
        var before = i > 0 ? tokens[i - 1] : null;
        if (before is null || !(before.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier || before.IsSymbol(",") || before.IsSymbol(")")))
        {
            return false;
        }

        for (var k = i + 2; k < tokens.Count && !tokens[k].IsSymbol(")"); k++)
        {
            if (!(tokens[k].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier || tokens[k].IsSymbol(",")))
            {
                return false;
            }
        }

        return true;
    }

    private static bool KnownCall(string name) =>
        TranslatorHelpers.Contains(name) || DruidSqlFunctions.PassThrough.Values.Contains(name, StringComparer.OrdinalIgnoreCase)
        || DruidSqlKeywords.BeforeParenthesis.Contains(name) || name.StartsWith("__", StringComparison.Ordinal);
}
