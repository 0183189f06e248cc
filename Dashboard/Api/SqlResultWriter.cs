using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Msq.Execution;
using Dashboard.Core.Query;

namespace Dashboard.Api;

/// <summary>
/// Writes an interactive query's rows in Druid's result formats as they are read (object, array, objectLines,
/// arrayLines, csv), with Druid's optional header rows; the line formats and csv end with a blank line, so a cut
/// response can be told from a whole one.
/// </summary>
public sealed class SqlResultWriter(string format, bool header, bool typesHeader, bool sqlTypesHeader)
{
    public static readonly string[] Formats = ["object", "array", "objectLines", "arrayLines", "csv"];

    private const int FlushEveryRows = 1000;

    /// <summary>The format as Druid spells it, or null when it is not one of Druid's.</summary>
    public static string? Normalise(string? format) =>
        format is null ? "object" : Formats.FirstOrDefault(f => f.Equals(format, StringComparison.OrdinalIgnoreCase));

    public string ContentType => format switch
    {
        "object" or "array" => "application/json",
        "csv" => "text/csv",
        _ => "text/plain",
    };

    public async Task WriteAsync(SqlQueryCursor cursor, HttpResponse response, CancellationToken cancellationToken)
    {
        if (format == "csv")
        {
            await WriteCsvAsync(cursor, response.Body, cancellationToken);
            return;
        }

        var lines = format.EndsWith("Lines", StringComparison.Ordinal);
        var objects = format.StartsWith("object", StringComparison.Ordinal);
        var pipe = response.BodyWriter;
        await using var json = new Utf8JsonWriter(pipe, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        if (!lines)
        {
            json.WriteStartArray();
        }

        foreach (var row in HeaderRows(cursor.Columns, objects))
        {
            row.WriteTo(json);
            EndLine(json, pipe, lines);
        }

        var rows = 0;
        while (await cursor.ReadAsync())
        {
            if (objects)
            {
                json.WriteStartObject();
                for (var i = 0; i < cursor.Columns.Count; i++)
                {
                    json.WritePropertyName(cursor.Columns[i].Name);
                    WriteValue(json, cursor.Value(i));
                }

                json.WriteEndObject();
            }
            else
            {
                json.WriteStartArray();
                for (var i = 0; i < cursor.Columns.Count; i++)
                {
                    WriteValue(json, cursor.Value(i));
                }

                json.WriteEndArray();
            }

            EndLine(json, pipe, lines);
            if (++rows % FlushEveryRows == 0)
            {
                json.Flush();
                await pipe.FlushAsync(cancellationToken);
            }
        }

        if (!lines)
        {
            json.WriteEndArray();
        }
        else
        {
            pipe.Write("\n"u8);
        }

        json.Flush();
        await pipe.FlushAsync(cancellationToken);
    }

    private IEnumerable<JsonNode> HeaderRows(IReadOnlyList<MsqColumn> columns, bool objects)
    {
        if (!header)
        {
            yield break;
        }

        if (objects)
        {
            var row = new JsonObject();
            foreach (var c in columns)
            {
                row[c.Name] = typesHeader || sqlTypesHeader ? Types(c) : null;
            }

            yield return row;
            yield break;
        }

        yield return new JsonArray(columns.Select(c => (JsonNode)c.Name).ToArray());
        if (typesHeader)
        {
            yield return new JsonArray(columns.Select(c => (JsonNode)c.NativeType).ToArray());
        }

        if (sqlTypesHeader)
        {
            yield return new JsonArray(columns.Select(c => (JsonNode)c.SqlType).ToArray());
        }
    }

    private JsonObject Types(MsqColumn column)
    {
        var types = new JsonObject();
        if (typesHeader)
        {
            types["type"] = column.NativeType;
        }

        if (sqlTypesHeader)
        {
            types["sqlType"] = column.SqlType;
        }

        return types;
    }

    private static void WriteValue(Utf8JsonWriter json, JsonNode? value)
    {
        if (value is null)
        {
            json.WriteNullValue();
        }
        else
        {
            value.WriteTo(json);
        }
    }

    /// <summary>In the line formats each value is a document of its own: the writer is reset after its newline.</summary>
    private static void EndLine(Utf8JsonWriter json, System.IO.Pipelines.PipeWriter pipe, bool lines)
    {
        if (lines)
        {
            json.Flush();
            pipe.Write("\n"u8);
            json.Reset(pipe);
        }
    }

    private async Task WriteCsvAsync(SqlQueryCursor cursor, Stream body, CancellationToken cancellationToken)
    {
        await using var text = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        if (header)
        {
            await text.WriteLineAsync(Csv(cursor.Columns.Select(c => c.Name)));
            if (typesHeader)
            {
                await text.WriteLineAsync(Csv(cursor.Columns.Select(c => c.NativeType)));
            }

            if (sqlTypesHeader)
            {
                await text.WriteLineAsync(Csv(cursor.Columns.Select(c => c.SqlType)));
            }
        }

        var values = new string?[cursor.Columns.Count];
        var rows = 0;
        while (await cursor.ReadAsync())
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = cursor.Value(i) is JsonValue v ? v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : v.ToJsonString() : null;
            }

            await text.WriteLineAsync(Csv(values));
            if (++rows % FlushEveryRows == 0)
            {
                await text.FlushAsync(cancellationToken);
            }
        }

        await text.WriteLineAsync();
        await text.FlushAsync(cancellationToken);
    }

    private static string Csv(IEnumerable<string?> values) => string.Join(",", values.Select(v =>
        v is null ? "" : v.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + v.Replace("\"", "\"\"") + "\"" : v));
}
