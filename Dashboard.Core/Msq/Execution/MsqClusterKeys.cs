using System.Globalization;
using Dashboard.Core.Msq.Dialect;

namespace Dashboard.Core.Msq.Execution;

/// <summary>
/// One CLUSTERED BY item, resolved: an output column (by name or SELECT ordinal), or an expression over the output columns
/// that the segment rows are sorted by without being stored (<see cref="Column"/> is then a hidden sort column).
/// </summary>
public sealed record MsqClusterKey(string Column, string? Expression);

/// <summary>Resolves CLUSTERED BY names, ordinals and expressions against a query's output (druid-behaviour.md §5.3).</summary>
public static class MsqClusterKeys
{
    /// <summary>The expressions among the CLUSTERED BY items, translated to DuckDB SQL, to bind before the output is known.</summary>
    public static IReadOnlyList<(string Text, string Sql)> Expressions(DruidSqlStatement statement) =>
        statement.ClusteredBy.Where(IsExpression)
            .Select(text => (text, DruidSqlTranslator.TranslateExpression(Tokens(text), DateTimeOffset.UnixEpoch, statement.TimeZone).Sql))
            .ToList();

    public static IReadOnlyList<MsqClusterKey> Resolve(DruidSqlStatement statement, IReadOnlyList<MsqColumn> output)
    {
        var keys = new List<MsqClusterKey>();
        foreach (var text in statement.ClusteredBy)
        {
            var tokens = Tokens(text);
            if (IsExpression(text))
            {
                keys.Add(new MsqClusterKey($"__cluster_{keys.Count}", DruidSqlTranslator.TranslateExpression(tokens, DateTimeOffset.UnixEpoch, statement.TimeZone).Sql));
            }
            else if (tokens[0].Kind == SqlTokenKind.Number)
            {
                var ordinal = int.Parse(tokens[0].Text, CultureInfo.InvariantCulture);
                keys.Add(ordinal >= 1 && ordinal <= output.Count
                    ? new MsqClusterKey(output[ordinal - 1].Name, null)
                    : throw MsqErrors.Invalid($"Invalid CLUSTERED BY clause [{text}]: ordinal out of range, the SELECT has {output.Count} column(s)."));
            }
            else
            {
                var name = tokens[0].Name;
                keys.Add(output.Any(c => c.Name == name)
                    ? new MsqClusterKey(name, null)
                    : throw MsqErrors.Invalid($"Invalid CLUSTERED BY clause [{text}]: [{name}] is not a column of the SELECT; cluster by an output column, its ordinal, or an expression over output columns."));
            }
        }

        return keys;
    }

    /// <summary>The identifiers an item mentions, so the columns it needs are read from datasources.</summary>
    public static IEnumerable<string> Names(DruidSqlStatement statement) =>
        statement.ClusteredBy.SelectMany(Tokens).Where(t => t.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier).Select(t => t.Name);

    private static bool IsExpression(string text)
    {
        var tokens = Tokens(text);
        return tokens.Count != 1 || tokens[0].Kind is not (SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier or SqlTokenKind.Number);
    }

    private static List<SqlToken> Tokens(string text) => SqlTokenizer.Tokenize(text).Where(t => t.Kind != SqlTokenKind.Space).ToList();
}
