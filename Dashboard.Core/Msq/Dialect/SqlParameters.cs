using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>Binds Druid SQL's dynamic parameters (<c>?</c> with <c>[{"type","value"}]</c>) as typed literals.</summary>
public static class SqlParameters
{
    public static string Bind(string sql, JsonArray? parameters)
    {
        var tokens = SqlTokenizer.Tokenize(sql);
        var placeholders = tokens.Count(t => t.IsSymbol("?"));
        var given = parameters?.Count ?? 0;
        if (placeholders == 0 && given == 0)
        {
            return sql;
        }

        if (placeholders != given)
        {
            throw MsqErrors.Invalid($"The query has {placeholders} dynamic parameter(s) (?) but {given} value(s) were given in parameters.");
        }

        var sb = new StringBuilder();
        var index = 0;
        foreach (var token in tokens)
        {
            sb.Append(token.IsSymbol("?") ? Literal(parameters![index++], index) : token.Text);
        }

        return sb.ToString();
    }

    private static string Literal(JsonNode? parameter, int position)
    {
        var type = parameter?["type"]?.GetValue<string>()?.ToUpperInvariant();
        var value = parameter?["value"];
        if (type is null)
        {
            throw MsqErrors.Invalid($"Parameter at position [{position - 1}] needs a type, e.g. {{\"type\":\"VARCHAR\",\"value\":\"x\"}}.");
        }

        if (value is null || value.GetValueKind() == JsonValueKind.Null)
        {
            return "NULL";
        }

        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return type switch
        {
            "VARCHAR" or "CHAR" => "'" + text.Replace("'", "''") + "'",
            "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var l) => l.ToString(CultureInfo.InvariantCulture),
            "DOUBLE" or "FLOAT" or "REAL" or "DECIMAL" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d.ToString("R", CultureInfo.InvariantCulture),
            "BOOLEAN" => bool.TryParse(text, out var b) && b ? "TRUE" : "FALSE",
            "TIMESTAMP" => "TIMESTAMP '" + text.Replace("'", "''") + "'",
            "DATE" => "DATE '" + text.Replace("'", "''") + "'",
            _ => throw MsqErrors.Invalid($"Parameter at position [{position - 1}] has type [{type}] and value [{text}], which do not go together."),
        };
    }
}
