using Dashboard.Core.Errors;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>Splits Druid SQL into tokens (comments and whitespace become Space tokens), keeping positions for errors.</summary>
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
            else if (char.IsDigit(c) || (c == '.' && i + 1 < sql.Length && char.IsDigit(sql[i + 1])))
            {
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '.'))
                {
                    i++;
                }

                kind = SqlTokenKind.Number;
            }
            else if (char.IsLetter(c) || c == '_' || c == '$')
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

    private static DruidException Error(string message, int line, int column) => MsqErrors.Parse($"{message} (line [{line}], column [{column}])", line, column);
}
