using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Engine;
using DuckDB.NET.Data;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>Rows as read from a sample: their columns in order, each row's fields (null when it could not be parsed) and why not.</summary>
public sealed record SampleRows(IReadOnlyList<string> Columns, IReadOnlyList<(JsonObject? Input, string? Error)> Rows, IReadOnlyDictionary<string, string>? KnownTypes = null)
{
    /// <summary>Reads up to <paramref name="numRows"/> rows of a JSON, CSV or TSV sample. A last line cut by the byte cap is left out.</summary>
    public static SampleRows FromText(InputSample sample, JsonObject inputFormat, int numRows)
    {
        var text = Encoding.UTF8.GetString(sample.Bytes);
        var lines = text.Split('\n');
        if (sample.Truncated && lines.Length > 1)
        {
            lines = lines[..^1];
        }

        var type = inputFormat["type"]?.GetValue<string>()?.ToLowerInvariant();
        return type == "json" ? Json(lines, numRows) : Delimited(lines, inputFormat, numRows);
    }

    private static SampleRows Json(IEnumerable<string> lines, int numRows)
    {
        var columns = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var rows = new List<(JsonObject?, string?)>();
        foreach (var line in lines.Select(l => l.TrimEnd('\r')).Where(l => l.Trim().Length > 0).Take(numRows))
        {
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(line);
            }
            catch (JsonException ex)
            {
                rows.Add((null, $"Unable to parse row [{Shorten(line)}]: {ex.Message}"));
                continue;
            }

            if (node is not JsonObject row)
            {
                rows.Add((null, $"Unable to parse row [{Shorten(line)}]: not a JSON object"));
                continue;
            }

            foreach (var (name, _) in row)
            {
                if (seen.Add(name))
                {
                    columns.Add(name);
                }
            }

            rows.Add((row, null));
        }

        return new SampleRows(columns, rows);
    }

    private static SampleRows Delimited(string[] lines, JsonObject format, int numRows)
    {
        var delimiter = format["type"]?.GetValue<string>()?.ToLowerInvariant() == "tsv" ? (format["delimiter"]?.GetValue<string>() is { Length: > 0 } d ? d[0] : '\t') : ',';
        var skip = format["skipHeaderRows"]?.GetValue<int>() ?? 0;
        var fromHeader = format["findColumnsFromHeader"]?.GetValue<bool>() ?? false;
        var remaining = lines.Select(l => l.TrimEnd('\r')).Skip(skip).Where(l => l.Length > 0).ToList();
        List<string> columns;
        if (fromHeader)
        {
            if (remaining.Count == 0)
            {
                return new SampleRows([], []);
            }

            columns = DelimitedLine.Split(remaining[0], delimiter).ToList();
            remaining.RemoveAt(0);
        }
        else
        {
            columns = (format["columns"] as JsonArray ?? []).Select(c => c!.GetValue<string>()).ToList();
        }

        var rows = new List<(JsonObject?, string?)>();
        foreach (var line in remaining.Take(numRows))
        {
            var fields = DelimitedLine.Split(line, delimiter);
            var row = new JsonObject();
            for (var i = 0; i < columns.Count; i++)
            {
                row[columns[i]] = i < fields.Count && fields[i].Length > 0 ? JsonValue.Create(fields[i]) : null;
            }

            rows.Add((row, null));
        }

        return new SampleRows(columns, rows);
    }

    /// <summary>The first rows of a local Parquet file, read by DuckDB (which reads the footer and the first row group only).</summary>
    public static async Task<SampleRows> FromParquetAsync(Core.Engine.DuckDbSessionFactory sessions, string path, int numRows, CancellationToken cancellationToken)
    {
        await using var db = await sessions.OpenAsync(Core.Engine.DuckDbSessionScope.ForAuxiliary("sampler") with { Files = [path] }, cancellationToken);
        await using var command = db.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet({Sql.Literal(path)}) LIMIT {numRows}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            var t = reader.GetFieldType(i);
            types[columns[i]] = t == typeof(long) || t == typeof(int) || t == typeof(short) || t == typeof(sbyte) || t == typeof(byte) || t == typeof(ushort) || t == typeof(uint)
                ? "LONG" : t == typeof(double) || t == typeof(float) || t == typeof(decimal) ? "DOUBLE" : "STRING";
        }

        var rows = new List<(JsonObject?, string?)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var row = new JsonObject();
            for (var i = 0; i < columns.Count; i++)
            {
                row[columns[i]] = reader.IsDBNull(i) ? null : reader.GetValue(i) switch
                {
                    DateTime dt => JsonValue.Create(Common.DruidTime.Format(new DateTimeOffset(DateTime.SpecifyKind(dt, DateTimeKind.Utc)))),
                    var v when types[columns[i]] == "LONG" => JsonValue.Create(Convert.ToInt64(v, CultureInfo.InvariantCulture)),
                    var v when types[columns[i]] == "DOUBLE" => JsonValue.Create(Convert.ToDouble(v, CultureInfo.InvariantCulture)),
                    var v => JsonValue.Create(Convert.ToString(v, CultureInfo.InvariantCulture)),
                };
            }

            rows.Add((row, null));
        }

        return new SampleRows(columns, rows, types);
    }

    private static string Shorten(string line) => line.Length > 200 ? line[..200] + "..." : line;
}
