namespace Dashboard.Core.Msq.Dialect;

public enum SqlTokenKind
{
    Word,
    QuotedIdentifier,
    String,
    Number,
    Symbol,
    Space,
}

/// <summary>One token of Druid SQL, with where it starts (1-based line and column, as Druid's parse errors give them).</summary>
public sealed record SqlToken(SqlTokenKind Kind, string Text, int Offset, int Line, int Column)
{
    /// <summary>Whether the token is <paramref name="word"/> in any ASCII case ("ſelect" is not SELECT, as DuckDB sees it too).</summary>
    public bool IsWord(string word) => Kind == SqlTokenKind.Word && System.Text.Ascii.EqualsIgnoreCase(Text, word);

    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    /// <summary>The identifier's name: a bare word as written, or a quoted identifier without its quotes.</summary>
    public string Name => Kind == SqlTokenKind.QuotedIdentifier ? Text[1..^1].Replace("\"\"", "\"") : Text;

    /// <summary>A string literal's value.</summary>
    public string StringValue => Text[1..^1].Replace("''", "'");
}
