using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>
/// The Druid column type (LONG, DOUBLE, STRING) the sampled values of a column imply: whole numbers are LONG, other numbers
/// DOUBLE, anything else (text, booleans, nested objects) STRING; text in CSV/TSV counts as a number when it reads as one.
/// A column with only nulls is STRING.
/// </summary>
public static class SampleColumnTypes
{
    public static string Infer(IEnumerable<JsonNode?> values)
    {
        var type = "";
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            var kind = Of(value);
            type = type switch
            {
                "" => kind,
                _ when type == kind => type,
                "LONG" or "DOUBLE" when kind is "LONG" or "DOUBLE" => "DOUBLE",
                _ => "STRING",
            };
            if (type == "STRING")
            {
                break;
            }
        }

        return type == "" ? "STRING" : type;
    }

    private static string Of(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Number => value.AsValue().TryGetValue<long>(out _) || long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "LONG" : "DOUBLE",
        JsonValueKind.String when long.TryParse(value.GetValue<string>(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) => "LONG",
        JsonValueKind.String when double.TryParse(value.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture, out _) => "DOUBLE",
        _ => "STRING",
    };

    /// <summary>A value as the column type stores it: a number for LONG/DOUBLE, text otherwise (nested values as JSON text).</summary>
    public static JsonNode? Convert(JsonNode? value, string type)
    {
        if (value is null)
        {
            return null;
        }

        var text = value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        return type switch
        {
            "LONG" when long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => JsonValue.Create(l),
            "DOUBLE" when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
            "LONG" or "DOUBLE" => null,
            _ => JsonValue.Create(text),
        };
    }
}
