using Dashboard.Core.Ingestion.Spec;
using DuckDB.NET.Data;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>
/// What the engine reads and writes for a spec: the input fields with their types, the dimensions (listed or discovered)
/// and the metrics. Discovery reads the input's own structure (JSON field types, CSV header names, or the fields a
/// Parquet footer and flattenSpec offer).
/// </summary>
public sealed record IngestionColumns(IReadOnlyDictionary<string, string> InputFields, IReadOnlyList<DimensionSchema> Dimensions)
{
    public static async Task<IngestionColumns> PlanAsync(DuckDBConnection db, IngestionSpec spec, IReadOnlyList<string> csvHeader,
        IReadOnlyList<string> files, CancellationToken cancellationToken, IReadOnlyList<DimensionSchema>? discoveredFields = null)
    {
        var schema = spec.DataSchema;
        var metricInputs = schema.Metrics.Where(m => m.FieldName is not null).Select(m => m.FieldName!).ToHashSet();
        var transformNames = schema.TransformSpec.Transforms.Select(t => t.Name).ToHashSet();
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);

        List<DimensionSchema> dimensions;
        if (schema.DimensionsSpec.DiscoversDimensions)
        {
            var discovered = discoveredFields is not null ? discoveredFields.ToList()
                : spec.IoConfig.InputFormat.Type == "json"
                ? await DiscoverJsonAsync(db, files, cancellationToken)
                : csvHeader.Select(c => new DimensionSchema(c, "string")).ToList();
            var excluded = new HashSet<string>(schema.DimensionsSpec.Exclusions) { schema.TimestampSpec.Column };
            excluded.UnionWith(metricInputs);
            excluded.UnionWith(schema.Metrics.Select(m => m.Name));
            dimensions = schema.DimensionsSpec.Dimensions
                .Concat(discovered.Where(d => schema.DimensionsSpec.Dimensions.All(x => x.Name != d.Name)))
                .Concat(transformNames.Where(t => discovered.All(d => d.Name != t)).Select(t => new DimensionSchema(t, "string")))
                .Where(d => !excluded.Contains(d.Name) && d.Name != "__time")
                .ToList();
        }
        else
        {
            dimensions = schema.DimensionsSpec.Dimensions.ToList();
        }

        foreach (var d in dimensions.Where(d => !transformNames.Contains(d.Name)))
        {
            fields[d.Name] = d.Type;
        }

        foreach (var m in schema.Metrics.Where(m => m.FieldName is not null && !transformNames.Contains(m.FieldName)))
        {
            fields.TryAdd(m.FieldName!, m.ValueType);
        }

        fields[schema.TimestampSpec.Column] = "string";
        foreach (var input in schema.TransformSpec.Transforms.SelectMany(t => DruidExpressionSql.FieldsOf(t.Expression)))
        {
            if (input != "__time" && !transformNames.Contains(input))
            {
                fields.TryAdd(input, "string");
            }
        }

        if (schema.TransformSpec.Filter is { } filter)
        {
            foreach (var input in FilterSql.Dimensions(filter).Where(f => f != "__time" && !transformNames.Contains(f)))
            {
                fields.TryAdd(input, "string");
            }
        }

        return new IngestionColumns(fields, dimensions);
    }

    /// <summary>Field names and Druid types from DuckDB's own JSON schema detection, in first-seen order.</summary>
    private static async Task<List<DimensionSchema>> DiscoverJsonAsync(DuckDBConnection db, IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var list = string.Join(", ", files.Select(Sql.Literal));
        await using var command = db.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM read_json([{list}], format='newline_delimited', compression='uncompressed', ignore_errors=true, union_by_name=true, maximum_object_size=16777216)";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<DimensionSchema>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var duckType = reader.GetString(1);
            // DuckDB calls a field JSON when its values are all null or of mixed kinds: Druid would keep it as a string.
            var type = duckType switch
            {
                "BIGINT" or "INTEGER" or "UBIGINT" or "SMALLINT" or "TINYINT" or "HUGEINT" or "UHUGEINT" or "BOOLEAN" => "long",
                "DOUBLE" or "FLOAT" => "double",
                _ when duckType.StartsWith("DECIMAL", StringComparison.Ordinal) => "double",
                _ when duckType.StartsWith("STRUCT", StringComparison.Ordinal) || duckType.EndsWith("[]", StringComparison.Ordinal) || duckType.StartsWith("MAP", StringComparison.Ordinal) => "json",
                _ => "string",
            };
            result.Add(new DimensionSchema(reader.GetString(0), type));
        }

        // DuckDB's detection samples the first 20,480 rows; Druid discovers every field of every row. Fields first seen
        // later are found by one scan of the rows' keys: a row whose keys are the detected ones in the detected order
        // (most rows) is passed over with one list comparison, the others' keys are checked one by one. About 25 ms on
        // the 39,244-row wikiticker sample and 130 ms on a million rows; such fields are kept as strings, in name order.
        var known = result.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var knownList = $"CAST([{string.Join(", ", result.Select(d => Sql.Literal(d.Name)))}] AS VARCHAR[])";
        await using var keys = db.CreateCommand();
        keys.CommandText = $"SELECT DISTINCT k FROM (SELECT unnest(keys) AS k FROM (SELECT json_keys(json) AS keys FROM read_json_objects([{list}], " +
                           $"format='newline_delimited', compression='uncompressed', ignore_errors=true, maximum_object_size=16777216)) WHERE keys <> {knownList}) " +
                           $"WHERE NOT list_contains({knownList}, k) ORDER BY k";
        await using var late = await keys.ExecuteReaderAsync(cancellationToken);
        while (await late.ReadAsync(cancellationToken))
        {
            if (!late.IsDBNull(0) && known.Add(late.GetString(0)))
            {
                result.Add(new DimensionSchema(late.GetString(0), "string"));
            }
        }

        return result;
    }
}
