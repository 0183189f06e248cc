using Dashboard.Core.Errors;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>
/// Splits Druid SQL into tokens (comments and whitespace become Space tokens), keeping positions for errors. A word starts
/// with a letter or "_" ("$" is a symbol, so DuckDB's $name and $$...$$ never form a word), a number is a numeric literal only.
/// </summary>
public static class SqlTokenizer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        int i = 0, line = 1, column = 1;
        while (i < sql.Length)
        {
            var start = i;
            var (startLine, startColumn) = (line, column);
            var c = sql[i];
            SqlTokenKind kind;
            if (char.IsWhiteSpace(c))
            {
                while (i < sql.Length && char.IsWhiteSpace(sql[i]))
                {
                    i++;
                }

                kind = SqlTokenKind.Space;
            }
            else if (c == '-' && i + 1 < sql.Length && sql[i + 1] == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                {
                    i++;
                }

                kind = SqlTokenKind.Space;
            }
            else if (c == '/' && i + 1 < sql.Length && sql[i + 1] == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? throw Error("Encountered an unterminated comment", startLine, startColumn) : end + 2;
                kind = SqlTokenKind.Space;
            }
            else if (c is '\'' or '"')
            {
                i++;
                while (true)
                {
                    if (i >= sql.Length)
                    {
                        throw Error(c == '\'' ? "Encountered an unterminated string literal" : "Encountered an unterminated quoted identifier", startLine, startColumn);
                    }

                    if (sql[i] == c)
                    {
                        if (i + 1 < sql.Length && sql[i + 1] == c)
                        {
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    i++;
                }

                kind = c == '\'' ? SqlTokenKind.String : SqlTokenKind.QuotedIdentifier;
            }
            else if (char.IsAsciiDigit(c) || (c == '.' && i + 1 < sql.Length && char.IsAsciiDigit(sql[i + 1])))
            {
                i = NumberEnd(sql, i);
                kind = SqlTokenKind.Number;
            }
            else if (char.IsLetter(c) || c == '_')
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$'))
                {
                    i++;
                }

                kind = SqlTokenKind.Word;
            }
            else
            {
                i += i + 1 < sql.Length && sql.Substring(i, 2) is "<=" or ">=" or "<>" or "!=" or "||" or "::" or "=>" ? 2 : 1;
                kind = SqlTokenKind.Symbol;
            }

            tokens.Add(new SqlToken(kind, sql[start..i], start, startLine, startColumn));
            for (var k = start; k < i; k++)
            {
                if (sql[k] == '\n')
                {
                    line++;
                    column = 1;
                }
                else
                {
                    column++;
                }
            }
        }

        return tokens;
    }

    /// <summary>The end of a numeric literal: digits, an optional fraction and an optional exponent (1, 1.5, .5, 1e-3).</summary>
    private static int NumberEnd(string sql, int i)
    {
        static int Digits(string s, int k)
        {
            while (k < s.Length && char.IsAsciiDigit(s[k]))
            {
                k++;
            }

            return k;
        }

        i = Digits(sql, i);
        if (i < sql.Length && sql[i] == '.')
        {
            i = Digits(sql, i + 1);
        }

        if (i < sql.Length && sql[i] is 'e' or 'E')
        {
            var exponent = i + 1 < sql.Length && sql[i + 1] is '+' or '-' ? i + 2 : i + 1;
            if (exponent < sql.Length && char.IsAsciiDigit(sql[exponent]))
            {
                i = Digits(sql, exponent);
            }
        }

        return i;
    }

    private static DruidException Error(string message, int line, int column) => MsqErrors.Parse($"{message} (line [{line}], column [{column}])", line, column);
}
