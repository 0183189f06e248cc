using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>What the "Connect external data" dialog chose: target, input, columns, time column and partitioning.</summary>
public sealed record ExternInsertOptions(
    string DataSource,
    JsonObject InputSource,
    JsonObject InputFormat,
    IReadOnlyList<SamplerColumn> Signature,
    TimeColumnCandidate? TimeColumn,
    string PartitionedBy = "DAY",
    string? ClusteredBy = null);

/// <summary>
/// Writes the SQL-ingestion statement for external data in the Druid web console's style:
/// <c>INSERT INTO "ds" WITH "ext" AS (SELECT * FROM TABLE(EXTERN('&lt;inputSource&gt;', '&lt;inputFormat&gt;', '&lt;signature&gt;')))
/// SELECT TIME_PARSE("time") AS "__time", ... FROM "ext" PARTITIONED BY DAY</c>. Identifiers are always double-quoted and
/// JSON arguments single-quoted, with quotes doubled inside both.
/// </summary>
public static partial class ExternInsertSql
{
    /// <summary>JSON as people write it (quotes and non-ASCII kept, not \u-escaped), so the statement stays readable.</summary>
    private static readonly JsonSerializerOptions ReadableJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly IReadOnlyList<string> Partitionings = ["HOUR", "DAY", "MONTH", "YEAR", "ALL"];

    /// <summary>
    /// The time written when no column holds the row time. Druid's web console leaves <c>__time</c> out instead (and
    /// partitions by ALL), and Druid then stores every row at 1970-01-01T00:00:00Z; this server's SQL ingestion needs a
    /// <c>__time</c> column, so the statement says that time explicitly: the same rows, stored the same way.
    /// </summary>
    public const string NoTimeColumnLiteral = "TIMESTAMP '1970-01-01 00:00:00'";

    public static string Build(ExternInsertOptions options)
    {
        if (ValidateDataSource(options.DataSource) is { } problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        if (!Partitionings.Contains(options.PartitionedBy))
        {
            throw new ArgumentException($"PARTITIONED BY [{options.PartitionedBy}] is not one of {string.Join(", ", Partitionings)}.", nameof(options));
        }

        var signature = new JsonArray(options.Signature.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.Type }).ToArray());
        var sql = new StringBuilder();
        sql.Append("INSERT INTO ").Append(Identifier(options.DataSource)).Append('\n');
        sql.Append("WITH \"ext\" AS (\n");
        sql.Append("  SELECT *\n");
        sql.Append("  FROM TABLE(\n");
        sql.Append("    EXTERN(\n");
        sql.Append("      ").Append(Literal(options.InputSource.ToJsonString(ReadableJson))).Append(",\n");
        sql.Append("      ").Append(Literal(options.InputFormat.ToJsonString(ReadableJson))).Append(",\n");
        sql.Append("      ").Append(Literal(signature.ToJsonString(ReadableJson))).Append('\n');
        sql.Append("    )\n");
        sql.Append("  )\n");
        sql.Append(")\n");
        sql.Append("SELECT\n");

        var select = new List<string> { TimeExpression(options.TimeColumn) + " AS \"__time\"" };
        select.AddRange(options.Signature.Where(c => c.Name != options.TimeColumn?.Name && c.Name != "__time").Select(c => Identifier(c.Name)));
        sql.Append(string.Join(",\n", select.Select(s => "  " + s))).Append('\n');
        sql.Append("FROM \"ext\"\n");
        sql.Append("PARTITIONED BY ").Append(options.PartitionedBy);
        if (!string.IsNullOrEmpty(options.ClusteredBy))
        {
            sql.Append('\n').Append("CLUSTERED BY ").Append(Identifier(options.ClusteredBy));
        }

        return sql.ToString();
    }

    /// <summary>The expression that makes <c>__time</c>: TIME_PARSE for ISO text, MILLIS_TO_TIMESTAMP for epoch millis.</summary>
    public static string TimeExpression(TimeColumnCandidate? time) => time switch
    {
        null => NoTimeColumnLiteral,
        { Format: "millis" } => $"MILLIS_TO_TIMESTAMP({Identifier(time.Name)})",
        _ => $"TIME_PARSE({Identifier(time.Name)})",
    };

    public static string Identifier(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    public static string Literal(string text) => "'" + text.Replace("'", "''") + "'";

    /// <summary>Null when the name can be a datasource, else why not (Druid's id rules, plus no leading underscores pair).</summary>
    public static string? ValidateDataSource(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return "Give the datasource a name.";
        }

        if (Tasks.TaskIds.Check("dataSource", name) is { } message)
        {
            return message;
        }

        return name.Trim() != name ? "The datasource name cannot start or end with spaces." : null;
    }

    /// <summary>A datasource name from a file name or URL: the name without folders and extensions, other characters as underscores.</summary>
    public static string SuggestDataSource(string? pathOrUrl)
    {
        var name = pathOrUrl ?? "";
        if (Uri.TryCreate(name, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            name = Uri.UnescapeDataString(uri.AbsolutePath);
        }

        name = name.Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..];
        var dot = name.IndexOf('.');
        name = dot > 0 ? name[..dot] : name;
        name = NotNameChars().Replace(name, "_").Trim('_');
        return name.Length == 0 ? "external_data" : name;
    }

    [GeneratedRegex("[^A-Za-z0-9_-]+")]
    private static partial Regex NotNameChars();
}
