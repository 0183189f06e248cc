using System.Text;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>
/// Checks that a SELECT (or a CLUSTERED BY expression) is Druid SQL this server runs before anything is translated:
/// every table position (after FROM, JOIN and each comma of a FROM list, at any depth) holds a name, a subquery, EXTERN
/// or UNNEST; every call is of an allowed function (<see cref="DruidSqlFunctions"/>); no DuckDB-only syntax, operator
/// or literal form is present. Returns the positions of the names that are table references (datasources or CTEs).
/// </summary>
internal sealed class DruidSqlChecker
{
    /// <summary>What the check found: the indexes of names in table positions, and the names the WITH clauses define.</summary>
    public sealed record Result(IReadOnlySet<int> TableReferences, IReadOnlySet<string> Ctes);

    private const string TableOptions = "<IDENTIFIER>, \"(\", \"TABLE\", \"EXTERN\", \"UNNEST\", \"LATERAL\"";

    private sealed class Frame
    {
        public bool Query;
        public bool SawSelect;
        public bool InWith;
        public bool InFrom;
        public bool ExpectTable;
        public bool TablePosition;
        public int LastPrimaryEnd = -1;
        public bool LastPrimaryWasExtern;
        public string? Function;
    }

    private readonly IReadOnlyList<SqlToken> _t;
    private readonly HashSet<int> _tables = [];
    private readonly HashSet<string> _ctes = new(StringComparer.OrdinalIgnoreCase);
    private readonly Stack<Frame> _stack = new();
    private Frame _frame = new();

    private DruidSqlChecker(IReadOnlyList<SqlToken> tokens) => _t = tokens;

    /// <summary>Checks the tokens (no Space tokens) of a query, or of one expression.</summary>
    public static Result Check(IReadOnlyList<SqlToken> tokens, bool expression = false)
    {
        var checker = new DruidSqlChecker(tokens) { _frame = new Frame { Query = !expression } };
        checker.Run();
        return new Result(checker._tables, checker._ctes);
    }

    private void Run()
    {
        for (var i = 0; i < _t.Count; i++)
        {
            CheckToken(i);
            i = _frame.Query && _frame.ExpectTable ? TablePrimary(i) : Step(i);
        }

        if (_stack.Count > 0)
        {
            var last = _t[^1];
            throw MsqErrors.Parse($"Received an unexpected token [<EOF>] (line [{last.Line}], column [{last.Column + last.Text.Length}]), acceptable options: [\")\"]",
                last.Line, last.Column + last.Text.Length);
        }
    }

    /// <summary>One token outside a table position; returns the index of the last token it used.</summary>
    private int Step(int i)
    {
        var t = _t[i];
        if (t.IsSymbol("("))
        {
            if (_frame is { Query: true, InFrom: true } && i - 1 == _frame.LastPrimaryEnd && i - 1 >= 0)
            {
                // Only EXTERN takes a column list right after it (Druid's EXTEND without the word).
                return _frame.LastPrimaryWasExtern ? ColumnList(i, types: true) : throw DruidSqlParser.Unexpected(t, "AS, JOIN, WHERE, GROUP BY, ORDER BY, LIMIT");
            }

            var function = i > 0 && _t[i - 1].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier ? _t[i - 1].Name.ToUpperInvariant() : null;
            Push(new Frame { Query = StartsQuery(i + 1), Function = function });
            return i;
        }

        if (t.IsSymbol(")"))
        {
            if (_stack.Count == 0)
            {
                throw DruidSqlParser.Unexpected(t, "<EOF>");
            }

            var closed = _frame;
            _frame = _stack.Pop();
            if (closed.TablePosition)
            {
                _frame.LastPrimaryEnd = i;
                _frame.LastPrimaryWasExtern = false;
            }

            return i;
        }

        if (t.IsWord("FROM") && DruidSqlTokenRules.IsDistinctFrom(_t, i))
        {
            return i;
        }

        // Outside a query, FROM belongs to EXTRACT(unit FROM x), TRIM(... FROM x), SUBSTRING(x FROM n) only.
        if (!_frame.Query && t.IsWord("FROM") && _frame.Function is not ("EXTRACT" or "TRIM" or "SUBSTRING" or "SUBSTR" or "OVERLAY"))
        {
            throw DruidSqlParser.Unexpected(t, "an expression");
        }

        if ((t.IsWord("JOIN") || t.IsWord("LATERAL")) && !(_frame is { Query: true, InFrom: true }))
        {
            throw DruidSqlParser.Unexpected(t, "JOIN and LATERAL only in a FROM clause");
        }

        if (_frame.Query && t.Kind == SqlTokenKind.Word)
        {
            if (t.IsWord("SELECT") || t.IsWord("VALUES"))
            {
                _frame.SawSelect = true;
                _frame.InWith = false;
            }
            else if (t.IsWord("WITH") && !_frame.SawSelect)
            {
                _frame.InWith = true;
            }
            else if (t.IsWord("UNION") || t.IsWord("INTERSECT") || t.IsWord("EXCEPT"))
            {
                _frame.SawSelect = false;
                _frame.InFrom = false;
            }
            else if (t.IsWord("FROM"))
            {
                if (!_frame.SawSelect)
                {
                    throw DruidSqlParser.Unexpected(t, "SELECT");
                }

                _frame.InFrom = true;
                _frame.ExpectTable = true;
                return i;
            }
            else if (_frame.InFrom && DruidSqlKeywords.EndOfFrom.Contains(t.Text))
            {
                _frame.InFrom = false;
            }
            else if (_frame.InFrom && t.IsWord("JOIN"))
            {
                _frame.ExpectTable = true;
                return i;
            }
        }

        if (_frame is { Query: true, InWith: true } && t.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && i > 0
            && (_t[i - 1].IsWord("WITH") || _t[i - 1].IsSymbol(",")))
        {
            Cte(i);
        }

        if (_frame is { Query: true, InFrom: true } && t.IsSymbol(","))
        {
            _frame.ExpectTable = true;
            return i;
        }

        if (t.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && At(i + 1, "("))
        {
            return Call(i);
        }

        return i;
    }

    /// <summary>A word or quoted name before "(": a keyword, a column list, or a call of an allowed function.</summary>
    private int Call(int i)
    {
        var t = _t[i];
        var ascii = Ascii.IsValid(t.Text);
        if (t.Kind == SqlTokenKind.Word && ascii && DruidSqlKeywords.BeforeParenthesis.Contains(t.Text))
        {
            return i;
        }

        if (_frame is { Query: true, InWith: true } && i > 0 && (_t[i - 1].IsWord("WITH") || _t[i - 1].IsSymbol(",")) && At(Close(i + 1) + 1, "AS", word: true))
        {
            return ColumnList(i + 1, types: false);
        }

        var isAlias = _frame is { Query: true, InFrom: true } && t.Kind is SqlTokenKind.QuotedIdentifier or SqlTokenKind.Word && !DruidSqlKeywords.Reserved.Contains(t.Text)
                      && (i - 1 == _frame.LastPrimaryEnd || (i >= 2 && _t[i - 1].IsWord("AS") && i - 2 == _frame.LastPrimaryEnd));
        if (isAlias || (t.IsWord("EXTEND") && _frame is { InFrom: true, LastPrimaryWasExtern: true } && i - 1 == _frame.LastPrimaryEnd))
        {
            return ColumnList(i + 1, types: !isAlias);
        }

        if (t.IsWord("EXTEND"))
        {
            throw DruidSqlParser.Unexpected(t, "EXTEND right after EXTERN(...)");
        }

        if (i > 0 && _t[i - 1] is var before && !before.IsSymbol(".")
            && (before.Kind is SqlTokenKind.QuotedIdentifier or SqlTokenKind.String or SqlTokenKind.Number || before.IsSymbol(")") || before.IsSymbol("]") || before.IsSymbol("::")
                || (before.Kind == SqlTokenKind.Word && !(Ascii.IsValid(before.Text) && DruidSqlKeywords.BeforeExpression.Contains(before.Text)))))
        {
            throw DruidSqlParser.Unexpected(t, "an operator, \",\" or a keyword before a function call");
        }

        if ((i > 0 && _t[i - 1].IsSymbol(".")) || !DruidSqlFunctions.IsAllowed(t.Name) || (t.Kind == SqlTokenKind.QuotedIdentifier && !ascii))
        {
            throw UnknownFunction(i);
        }

        return i;
    }

    /// <summary>The token at a table position; returns the index of the last token of the table primary.</summary>
    private int TablePrimary(int i)
    {
        var t = _t[i];
        _frame.ExpectTable = false;
        if (t.IsWord("LATERAL"))
        {
            _frame.ExpectTable = true;
            return i;
        }

        if (t.IsSymbol("("))
        {
            var query = StartsQuery(i + 1);
            Push(new Frame { Query = true, TablePosition = true, InFrom = !query, ExpectTable = !query, SawSelect = !query });
            return i;
        }

        if ((t.IsWord("TABLE") && At(i + 1, "(") && i + 2 < _t.Count && _t[i + 2].IsWord("EXTERN")) || (t.IsWord("EXTERN") && At(i + 1, "(")))
        {
            var close = Close(i + 1);
            _frame.LastPrimaryEnd = close;
            _frame.LastPrimaryWasExtern = true;
            return close;
        }

        if (t.IsWord("UNNEST") && At(i + 1, "("))
        {
            CheckToken(i + 1);
            Push(new Frame { TablePosition = true });
            return i + 1;
        }

        if (t.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier && !(t.Kind == SqlTokenKind.Word && DruidSqlKeywords.Reserved.Contains(t.Text)))
        {
            var last = i;
            while (At(last + 1, ".") && last + 2 < _t.Count && _t[last + 2].Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier)
            {
                CheckToken(last + 2);
                last += 2;
            }

            if (At(last + 1, "("))
            {
                throw UnknownFunction(last);
            }

            _tables.Add(i);
            _frame.LastPrimaryEnd = last;
            _frame.LastPrimaryWasExtern = false;
            return last;
        }

        throw DruidSqlParser.Unexpected(t, TableOptions);
    }

    private void Cte(int i) => _ctes.Add(DruidSqlTokenRules.CteName(_t[i]));

    private int ColumnList(int open, bool types) => DruidSqlTokenRules.ColumnList(_t, open, types);

    private void CheckToken(int i) => DruidSqlTokenRules.Check(_t, i);

    private DruidException UnknownFunction(int i) => DruidSqlTokenRules.UnknownFunction(_t, i);

    /// <summary>Deeper nesting than this is refused: the translator recurses once per level.</summary>
    public const int MaxDepth = 200;

    private void Push(Frame frame)
    {
        if (_stack.Count >= MaxDepth)
        {
            throw MsqErrors.Invalid($"The statement nests parentheses more than {MaxDepth} levels deep; flatten it (CTEs, fewer nested calls).");
        }

        _stack.Push(_frame);
        _frame = frame;
    }

    private bool StartsQuery(int i) => i < _t.Count && (_t[i].IsWord("SELECT") || _t[i].IsWord("WITH") || _t[i].IsWord("VALUES"));

    private bool At(int i, string text, bool word = false) => i < _t.Count && i >= 0 && (word ? _t[i].IsWord(text) : _t[i].IsSymbol(text));

    private int Close(int open) => DruidSqlTokenRules.Close(_t, open);
}
