using System.Text;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>Converts a Joda-Time pattern (timestampSpec format, TIME_PARSE) into a DuckDB strptime/strftime format.</summary>
public static class JodaPattern
{
    public static string ToStrptime(string joda)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < joda.Length;)
        {
            var c = joda[i];
            if (c == '\'')
            {
                var end = joda.IndexOf('\'', i + 1);
                end = end < 0 ? joda.Length : end;
                sb.Append(joda.AsSpan(i + 1, end - i - 1).ToString().Replace("%", "%%"));
                i = end + 1;
                continue;
            }

            var run = 1;
            while (i + run < joda.Length && joda[i + run] == c)
            {
                run++;
            }

            sb.Append((c, run) switch
            {
                ('y' or 'Y' or 'u', 2) => "%y",
                ('y' or 'Y' or 'u', _) => "%Y",
                ('M', >= 4) => "%B",
                ('M', 3) => "%b",
                ('M', _) => "%m",
                ('d', _) => "%d",
                ('D', _) => "%j",
                ('H', _) => "%H",
                ('k', _) => "%H",
                ('h', _) => "%I",
                ('K', _) => "%I",
                ('m', _) => "%M",
                ('s', _) => "%S",
                ('S', _) => "%g",
                ('a', _) => "%p",
                ('E', >= 4) => "%A",
                ('E', _) => "%a",
                ('Z', _) => "%z",
                ('z', _) => "%Z",
                ('%', _) => new string('%', run * 2),
                _ when char.IsLetter(c) => throw new FormatException($"Joda pattern letter '{c}' in [{joda}] is not supported."),
                _ => new string(c, run),
            });
            i += run;
        }

        return sb.ToString();
    }

    /// <summary>For a SQL string literal holding a Joda pattern (as the expression translator sees it).</summary>
    public static string ToStrptimeSql(string sqlLiteral) =>
        sqlLiteral.StartsWith('\'') ? Sql.Literal(ToStrptime(sqlLiteral[1..^1].Replace("''", "'"))) : sqlLiteral;
}
