using System.Text;
using Dashboard.Core.Msq.Dialect;
using FsCheck;
using FsCheck.Fluent;

namespace Dashboard.Tests.Security.Fuzz;

/// <summary>
/// Generated inputs for the fuzz properties: valid statements and specs, then mutated (tokens inserted, deleted, swapped,
/// duplicated, ranges nested deeply, random unicode). The seeds are the shapes the tests and the docs use.
/// </summary>
public static class FuzzInputs
{
    public static readonly string[] SqlSeeds =
    [
        "SELECT 1",
        "SELECT * FROM ds WHERE x = 1 AND y IN ('a', 'b') ORDER BY x LIMIT 10",
        "INSERT INTO t SELECT TIME_PARSE(\"time\") AS __time, channel FROM TABLE(EXTERN('{\"type\":\"local\",\"files\":[\"/data/in.json\"]}', '{\"type\":\"json\"}')) EXTEND (\"time\" VARCHAR, channel VARCHAR) PARTITIONED BY DAY CLUSTERED BY channel",
        "REPLACE INTO t OVERWRITE WHERE __time >= TIMESTAMP '2000-01-01' AND __time < TIMESTAMP '2000-01-02' SELECT * FROM u PARTITIONED BY DAY",
        "WITH a (x) AS (SELECT 1), b AS (SELECT x FROM a) SELECT x FROM a, b JOIN c ON a.x = c.x",
        "SET sqlTimeZone = 'America/Los_Angeles'; SET maxNumTasks = 3; SELECT TIME_FLOOR(__time, 'PT1H') AS h, COUNT(*) FROM ds GROUP BY 1",
        "EXPLAIN PLAN FOR SELECT COUNT(DISTINCT x) FILTER (WHERE y > 1) FROM ds",
        "SELECT LATEST(x), EARLIEST_BY(x, __time), APPROX_COUNT_DISTINCT(y), FLOOR(__time TO DAY), CEIL(__time TO HOUR) FROM ds GROUP BY 3, 4",
        "SELECT * FROM UNNEST(ARRAY[1, 2]) AS t(v) CROSS JOIN LATERAL (SELECT v + 1 AS w) l",
        "SELECT CASE WHEN a BETWEEN 1 AND 2 THEN 'x' ELSE NVL(b, 'y') END FROM ds WHERE EXISTS (SELECT 1 FROM e) UNION ALL SELECT 'z' FROM f",
        "SELECT TIME_FORMAT(MILLIS_TO_TIMESTAMP(1000), 'yyyy-MM-dd', 'Asia/Kolkata'), TIME_SHIFT(__time, 'P1D', -1), TIME_EXTRACT(__time, 'HOUR') FROM ds",
        "SELECT x, ROW_NUMBER() OVER (PARTITION BY y ORDER BY z ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM ds",
        "SELECT CAST(x AS VARCHAR), x::BIGINT, SUBSTRING(s FROM 1 FOR 2), TRIM(BOTH ' ' FROM s), EXTRACT(YEAR FROM __time) FROM \"my ds\"",
        "INSERT INTO t SELECT * FROM u PARTITIONED BY TIME_FLOOR(__time, 'PT1H') CLUSTERED BY LOWER(x), 2",
        "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s) LEFT JOIN druid.ds d ON v.n = d.n",
    ];

    private static readonly string[] Pool =
    [
        "SELECT", "FROM", "WHERE", "JOIN", "ON", ",", "(", ")", ";", ".", "*", "=", "AS", "WITH", "UNION", "TABLE", "EXTERN", "EXTEND",
        "LATERAL", "UNNEST", "TO", "BY", "PARTITIONED", "CLUSTERED", "OVERWRITE", "ALL", "SET", "EXPLAIN", "'/etc/passwd'", "\"x.csv\"",
        "read_csv", "read_csv('/etc/passwd')", "glob('/*')", "current_setting('x')", "getenv", "COPY", "ATTACH", "INSTALL", "PRAGMA",
        "PIVOT", "SUMMARIZE", "DESCRIBE", "$", "$$", "$1", "::", "E'\\x41'", "X'41'", "--", "/*", "*/", "\n", "1e5", "1e999", "1from", ".5e",
        "ſelect", "ｒｅａｄ_csv", "\u0430", "\u0000", "\u200b", "\ud83d\ude00", "'", "\"", "=>", "{", "}", "[", "]", "?", "%", "||",
        "TIME_FLOOR(", "'PT1H'", "'P1M'", "'bogus'", "NULL", "TRUE", "TIMESTAMP", "'2000-01-01'", "CAST(", "VARCHAR", "__time", "ds",
    ];

    /// <summary>
    /// FsCheck's configuration for <paramref name="cases"/> cases, times FUZZ_SCALE when set (FUZZ_SCALE=50 for a long
    /// hunt); a failure throws with FsCheck's replay seed and the input.
    /// </summary>
    public static Config Config(int cases) =>
        FsCheck.Config.QuickThrowOnFailure.WithQuietOnSuccess(true)
            .WithMaxTest(cases * (int.TryParse(Environment.GetEnvironmentVariable("FUZZ_SCALE"), out var scale) && scale > 0 ? scale : 1));

    /// <summary>A valid statement with 1 to 6 mutations.</summary>
    public static Arbitrary<string> MutatedSql() => Arb.From(
        from seed in Gen.Elements(SqlSeeds)
        from mutations in Gen.Choose(1, 6).SelectMany(n => Gen.ArrayOf(Mutation(), n))
        from glue in Gen.Elements(" ", " ", " ", "", "\n", "/**/")
        select Mutate(seed, mutations, glue));

    /// <summary>A random string of SQL-ish and unicode characters (no seed).</summary>
    public static Arbitrary<string> RandomSql() => Arb.From(
        Gen.ArrayOf(Gen.OneOf(Gen.Elements(Pool), ArbMap.Default.GeneratorFor<char>().Select(c => c.ToString()))).Select(parts => string.Join(" ", parts)));

    private sealed record Op(int Kind, int A, int B, string Token);

    private static Gen<Op> Mutation() =>
        from kind in Gen.Choose(0, 6)
        from a in Gen.Choose(0, 10_000)
        from b in Gen.Choose(0, 10_000)
        from token in Gen.OneOf(Gen.Elements(Pool), ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""))
        select new Op(kind, a, b, token);

    private static string Mutate(string seed, Op[] ops, string glue)
    {
        var tokens = SqlTokenizer.Tokenize(seed).Where(t => t.Kind != SqlTokenKind.Space).Select(t => t.Text).ToList();
        foreach (var op in ops)
        {
            var a = op.A % (tokens.Count + 1);
            var b = op.B % (tokens.Count + 1);
            switch (op.Kind)
            {
                case 0 or 1:
                    tokens.Insert(a, op.Token);
                    break;
                case 2 when tokens.Count > 0:
                    tokens.RemoveAt(Math.Min(a, tokens.Count - 1));
                    break;
                case 3 when tokens.Count > 1:
                    var (x, y) = (Math.Min(a, tokens.Count - 1), Math.Min(b, tokens.Count - 1));
                    (tokens[x], tokens[y]) = (tokens[y], tokens[x]);
                    break;
                case 4:
                    var (from, to) = (Math.Min(a, b), Math.Max(a, b));
                    tokens.InsertRange(to, tokens.GetRange(from, Math.Min(to, tokens.Count) - from).Take(50).ToList());
                    break;
                case 5:
                    var depth = 1 + op.B % 300;
                    var (start, end) = (Math.Min(a, b), Math.Max(a, b));
                    tokens.Insert(Math.Min(end, tokens.Count), new string(')', depth));
                    tokens.Insert(start, string.Concat(Enumerable.Repeat("abs(", depth)));
                    break;
                default:
                    tokens.Insert(a, char.ConvertFromUtf32(op.B * 7 % 0x10FFFF is var cp && cp is >= 0xD800 and <= 0xDFFF ? 0x41 : op.B * 7 % 0x10FFFF));
                    break;
            }
        }

        return string.Join(glue, tokens);
    }

    /// <summary>An input for a failure message: control characters as \uXXXX, at most 2,000 characters.</summary>
    public static string Show(string text)
    {
        if (text.Length > 2000)
        {
            return Show(text[..2000]) + $"... ({text.Length} characters)";
        }

        var sb = new StringBuilder();
        foreach (var c in text)
        {
            sb.Append(c < ' ' || c is >= '\u007f' and <= '\u009f' ? $"\\u{(int)c:x4}" : c);
        }

        return sb.ToString();
    }
}
