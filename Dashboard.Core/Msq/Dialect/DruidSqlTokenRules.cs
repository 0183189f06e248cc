using System.Collections.Frozen;
using System.Text;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>The rules on single tokens of <see cref="DruidSqlChecker"/> (operators, literal forms, DuckDB-only words) and its errors.</summary>
internal static class DruidSqlTokenRules
{
    private static readonly FrozenSet<string> Symbols = new[]
    {
        "(", ")", ",", ".", "+", "-", "*", "/", "%", "=", "<", ">", "<=", ">=", "<>", "!=", "||", "::", "[", "]", "?",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>
    /// <c>INFORMATION_SCHEMA.COLUMNS</c> (dsql's and the console's column read): the table's name, not DuckDB's COLUMNS(...)
    /// expression. It is translated to a system table's view and never reaches DuckDB as a word; a call is still refused.
    /// </summary>
    private static bool IsInformationSchemaTable(IReadOnlyList<SqlToken> tokens, int i) =>
        i >= 2 && tokens[i - 1].IsSymbol(".") && tokens[i - 2].IsWord("INFORMATION_SCHEMA") && !At(tokens, i + 1, "(");

    /// <summary>Refuses tokens that are not Druid SQL whatever their position.</summary>
    public static void Check(IReadOnlyList<SqlToken> tokens, int i)
    {
        var t = tokens[i];
        switch (t.Kind)
        {
            case SqlTokenKind.Symbol when !Symbols.Contains(t.Text):
                throw DruidSqlParser.Unexpected(t, "an operator of Druid SQL");
            case SqlTokenKind.Word when DruidSqlKeywords.DuckDbOnly.Contains(t.Text) && Ascii.IsValid(t.Text) && !IsInformationSchemaTable(tokens, i):
                throw MsqErrors.Parse($"Received an unexpected token [{t.Text}] (line [{t.Line}], column [{t.Column}]): {t.Text.ToUpperInvariant()} is not Druid SQL. Write the query in Druid SQL (SELECT ... FROM datasource or EXTERN(...)), or quote the name if it is a column.",
                    t.Line, t.Column);
            case SqlTokenKind.Word when t.IsWord("TABLE") && !(At(tokens, i + 1, "(") && i + 2 < tokens.Count && tokens[i + 2].IsWord("EXTERN")):
                throw DruidSqlParser.Unexpected(t, "TABLE(EXTERN(...))");
            case SqlTokenKind.Word when i + 1 < tokens.Count && tokens[i + 1].Kind == SqlTokenKind.String && tokens[i + 1].Offset == t.Offset + t.Text.Length
                                        && DruidSqlKeywords.StringPrefixes.Contains(t.Text):
                throw MsqErrors.Parse($"Received an unexpected token [{t.Text}{tokens[i + 1].Text}] (line [{t.Line}], column [{t.Column}]): [{t.Text}'...'] strings are not Druid SQL; write a plain '...' string.",
                    t.Line, t.Column);
            case SqlTokenKind.String or SqlTokenKind.QuotedIdentifier when t.Text.Contains('\0', StringComparison.Ordinal):
                throw MsqErrors.Parse($"Received an unexpected token [\\u0000] (line [{t.Line}], column [{t.Column}]): a NUL character cannot be part of a statement.", t.Line, t.Column);
        }

        // DuckDB reads "(FROM x)" as a subquery; Druid SQL has no FROM-first queries.
        if (t.IsSymbol("(") && i + 1 < tokens.Count && tokens[i + 1].IsWord("FROM"))
        {
            throw DruidSqlParser.Unexpected(tokens[i + 1], "SELECT, WITH, VALUES or an expression");
        }
    }

    public static DruidException UnknownFunction(IReadOnlyList<SqlToken> tokens, int i)
    {
        var t = tokens[i];
        var arguments = new StringBuilder();
        if (At(tokens, i + 1, "("))
        {
            var close = Close(tokens, i + 1);
            var args = DruidSqlParser.Split(tokens.Skip(i + 2).Take(close - i - 2).ToList());
            arguments.AppendJoin(", ", args.Select(a => a.Count != 1 ? "<ANY>"
                : a[0].Kind == SqlTokenKind.String ? "<CHARACTER>"
                : a[0].Kind == SqlTokenKind.Number ? "<NUMERIC>"
                : a[0].IsWord("TRUE") || a[0].IsWord("FALSE") ? "<BOOLEAN>"
                : "<ANY>"));
        }

        return MsqErrors.Parse(
            $"No match found for function signature {t.Name}({arguments}) (line [{t.Line}], column [{t.Column}]). This server runs the Druid SQL functions listed in docs/compatibility.md; rewrite the call with one of them.",
            t.Line, t.Column);
    }

    /// <summary>
    /// A list of names (an alias's or CTE's columns) or of name TYPE pairs (EXTEND); returns its ")". Only names, type words
    /// (with their sizes) and commas: nothing in it is a call, a keyword or a literal, so it is copied as a column list.
    /// </summary>
    public static int ColumnList(IReadOnlyList<SqlToken> tokens, int open, bool types)
    {
        var close = Close(tokens, open);
        var items = DruidSqlParser.Split(tokens.Skip(open + 1).Take(close - open - 1).ToList());
        for (var k = open + 1; k < close; k++)
        {
            var token = tokens[k];
            Check(tokens, k);
            if (token.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && At(tokens, k + 1, "(")
                && !(types && token.Kind == SqlTokenKind.Word && DruidSqlKeywords.BeforeParenthesis.Contains(token.Text)))
            {
                throw UnknownFunction(tokens, k);
            }

            var ok = (token.Kind == SqlTokenKind.Word && !DruidSqlKeywords.Reserved.Contains(token.Text)) || token.Kind == SqlTokenKind.QuotedIdentifier || token.IsSymbol(",")
                     || (types && (token.Kind == SqlTokenKind.Number || token.IsSymbol("(") || token.IsSymbol(")") || token.IsSymbol("<") || token.IsSymbol(">")));
            if (!ok)
            {
                throw DruidSqlParser.Unexpected(token, types ? "<IDENTIFIER> <TYPE>" : "<IDENTIFIER>");
            }
        }

        var malformed = types
            ? items.FirstOrDefault(item => item.Count < 2 || item[0].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier) || item[1].Kind != SqlTokenKind.Word)
            : items.FirstOrDefault(item => item.Count != 1);
        if (malformed is not null || items.Count == 0)
        {
            throw DruidSqlParser.Unexpected(malformed?.Count > 1 ? malformed[1] : tokens[open], types ? "<IDENTIFIER> <TYPE>" : "<IDENTIFIER>");
        }

        return close;
    }

    /// <summary>
    /// A CTE's name: a plain identifier (letters, digits, "_"), so that a reference to it outside its scope can never be
    /// read by DuckDB as a file name.
    /// </summary>
    public static string CteName(SqlToken t)
    {
        var name = t.Name;
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
        {
            throw MsqErrors.Parse($"The WITH query name [{name}] (line [{t.Line}], column [{t.Column}]) must be a plain identifier of letters, digits and \"_\"; rename it.", t.Line, t.Column);
        }

        return name;
    }

    /// <summary>FROM of the operator IS [NOT] DISTINCT FROM.</summary>
    public static bool IsDistinctFrom(IReadOnlyList<SqlToken> tokens, int i) => i >= 2 && tokens[i - 1].IsWord("DISTINCT") && (tokens[i - 2].IsWord("IS") || tokens[i - 2].IsWord("NOT"));

    private static bool At(IReadOnlyList<SqlToken> tokens, int i, string symbol) => i >= 0 && i < tokens.Count && tokens[i].IsSymbol(symbol);

    public static int Close(IReadOnlyList<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var k = open; k < tokens.Count; k++)
        {
            depth += tokens[k].IsSymbol("(") ? 1 : tokens[k].IsSymbol(")") ? -1 : 0;
            if (depth == 0)
            {
                return k;
            }
        }

        var t = tokens[open];
        throw MsqErrors.Parse($"Received an unexpected token [<EOF>] (line [{t.Line}], column [{t.Column}]), acceptable options: [\")\"]", t.Line, t.Column);
    }
}
