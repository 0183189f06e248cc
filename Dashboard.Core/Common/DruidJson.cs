using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Dashboard.Core.Common;

/// <summary>
/// JSON as Druid's DefaultObjectMapper writes it: nulls kept, enums by name, times as ISO-8601 UTC with
/// milliseconds, unknown properties ignored on read.
/// </summary>
public static class DruidJson
{
    public static readonly JsonSerializerOptions Options = Create(indented: false);
    public static readonly JsonSerializerOptions Indented = Create(indented: true);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = indented,
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new DruidDateTimeOffsetConverter());
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);

    public static JsonNode? ToNode<T>(T value) => JsonSerializer.SerializeToNode(value, Options);
}

/// <summary>Joda's ISO format with milliseconds, always UTC: <c>2023-06-22T22:11:37.012Z</c>.</summary>
public sealed class DruidDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64());
        }

        return DruidTime.Parse(reader.GetString() ?? throw new JsonException("Expected an ISO-8601 time, got null."));
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(DruidTime.Format(value));
}

/// <summary>Formatting and parsing of instants the way Druid writes them.</summary>
public static class DruidTime
{
    public static readonly DateTimeOffset Epoch = DateTimeOffset.UnixEpoch;

    public static string Format(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text)
    {
        if (TryParse(text, out var value))
        {
            return value;
        }

        throw new FormatException($"Cannot parse [{text}] as an ISO-8601 time (expected e.g. 2015-09-12T00:00:00.000Z).");
    }

    /// <summary>True when the text starts like a time whose year is outside 0001-9999 (five or more digits, or negative).</summary>
    public static bool IsOutOfRange(string? text)
    {
        var s = text.AsSpan().Trim();
        var sign = s.Length > 0 && s[0] is '+' or '-' ? 1 : 0;
        var digits = 0;
        while (sign + digits < s.Length && char.IsAsciiDigit(s[sign + digits]))
        {
            digits++;
        }

        var next = sign + digits < s.Length ? s[sign + digits] : '\0';
        return digits > 4 && next == '-' || digits > 0 && sign == 1 && s[0] == '-' && next is '\0' or '-' or 'T';
    }

    /// <summary>Accepts the partial forms Joda accepts in intervals: <c>2015</c>, <c>2015-09</c>, <c>2015-09-12</c>, <c>2015-09-12T10</c>.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var s = text.Trim();
        string[] partial = ["yyyy", "yyyy-MM", "yyyy-MM-dd", "yyyy-MM-dd'T'HH", "yyyy-MM-dd'T'HH:mm"];
        if (DateTime.TryParseExact(s, partial, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var partialValue))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(partialValue, DateTimeKind.Utc));
            return true;
        }

        if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value))
        {
            value = value.ToUniversalTime();
            return true;
        }

        return false;
    }
}
