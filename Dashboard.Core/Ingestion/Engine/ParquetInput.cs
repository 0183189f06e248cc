using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using DuckDB.NET.Data;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>
/// The fields a Parquet input offers, read from the files' footers: the top-level columns (when the flattenSpec
/// discovers fields) and the flattenSpec's fields, each with its DuckDB expression and type.
/// </summary>
public sealed record ParquetInput(IReadOnlyDictionary<string, (string Sql, string DuckType)> Fields, IReadOnlyList<DimensionSchema> Discovered, long Rows)
{
    public static async Task<ParquetInput> ReadAsync(DuckDBConnection db, IReadOnlyList<InputFile> files, InputFormatSpec format, CancellationToken cancellationToken)
    {
        var rows = await CountRowsAsync(db, files, cancellationToken);
        var fields = new Dictionary<string, (string Sql, string DuckType)>(StringComparer.Ordinal);
        var discovered = new List<DimensionSchema>();
        foreach (var (name, type) in await DescribeAsync(db, files, format, "*", cancellationToken))
        {
            if (format.Flatten.UseFieldDiscovery)
            {
                fields[name] = (Sql.Name(name), type);
                if (IsPrimitive(type))
                {
                    discovered.Add(new DimensionSchema(name, DruidType(type)));
                }
            }
        }

        foreach (var field in format.Flatten.Fields)
        {
            var sql = FlattenPath.ToSql(field);
            string type;
            try
            {
                type = (await DescribeAsync(db, files, format, $"{sql} AS {Sql.Name(field.Name)}", cancellationToken))[0].Type;
            }
            catch (DuckDBException ex)
            {
                throw new IOException($"flattenSpec field [{field.Name}] ({field.Type} [{field.Expr}]) does not match the Parquet schema of the input: " +
                                      $"{ex.Message.Split('\n')[0]}. Correct the expr against the file's columns (the sampler shows them).", ex);
            }

            fields[field.Name] = (sql, type);
            discovered.RemoveAll(d => d.Name == field.Name);
            discovered.Add(new DimensionSchema(field.Name, IsPrimitive(type) ? DruidType(type) : "string"));
        }

        return new ParquetInput(fields, discovered, rows);
    }

    /// <summary>
    /// The rows the files' footers declare, reading nothing else. A file that is not Parquet or is damaged fails here,
    /// by name, before any row is read.
    /// </summary>
    public static async Task<long> CountRowsAsync(DuckDBConnection db, IReadOnlyList<InputFile> files, CancellationToken cancellationToken)
    {
        long rows = 0;
        foreach (var file in files)
        {
            try
            {
                rows += await db.ScalarLongAsync($"SELECT CAST(coalesce(sum(num_rows), 0) AS BIGINT) FROM parquet_file_metadata({Sql.Literal(file.Path)})", cancellationToken);
            }
            catch (DuckDBException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"Input [{file.DisplayName}] is not a readable Parquet file: {ex.Message.Split('\n')[0]}. " +
                                      "Replace it with a complete Parquet file (one ends with the PAR1 footer) or leave it out of the input.", ex);
            }
        }

        return rows;
    }

    /// <summary>The rows the files' footers declare, for the live report's estimatedTotalRows: exact, and read from the footers only.</summary>
    public static async Task<long> CountRowsAsync(Core.Engine.DuckDbSessionFactory sessions, IReadOnlyList<InputFile> files, CancellationToken cancellationToken)
    {
        await using var db = await sessions.OpenAsync(Core.Engine.DuckDbSessionScope.ForAuxiliary("parquet-footers") with { Files = files.Select(f => f.Path).ToList() },
            cancellationToken);
        return await CountRowsAsync(db, files, cancellationToken);
    }

    /// <summary>The read of every file at once (columns missing from a file read as null), with each row's file and row number.</summary>
    public static string ReadSql(IReadOnlyList<InputFile> files, InputFormatSpec format) =>
        $"read_parquet([{string.Join(", ", files.Select(f => Sql.Literal(f.Path)))}], union_by_name=true, binary_as_string={(format.BinaryAsString ? "true" : "false")}, " +
        "file_row_number=true, filename='__filename')";

    /// <summary>The source rows of a classification pass: the needed fields as text, as the CSV pass reads them, and where each row came from.</summary>
    public string SourceSql(IReadOnlyList<InputFile> files, InputFormatSpec format, IEnumerable<string> names)
    {
        var paths = "[" + string.Join(", ", files.Select(f => Sql.Literal(f.Path))) + "]";
        var columns = names.Select(n => $"{(Fields.TryGetValue(n, out var f) ? Text(f.Sql, f.DuckType) : "CAST(NULL AS VARCHAR)")} AS {Sql.Name(n)}");
        return $"SELECT CAST(list_position({paths}, __filename) - 1 AS INTEGER) AS __file, file_row_number + 1 AS __line, CAST(NULL AS VARCHAR) AS __raw, " +
               $"{string.Join(", ", columns)} FROM {ReadSql(files, format)}";
    }

    /// <summary>
    /// A value as text, the way Druid's Parquet reader hands it on: timestamps and dates as epoch milliseconds, binary as
    /// base64 (unless binaryAsString), nested values as JSON.
    /// </summary>
    public static string Text(string sql, string duckType) => duckType switch
    {
        _ when duckType.StartsWith("TIMESTAMP", StringComparison.Ordinal) => $"CAST(epoch_ms(CAST({sql} AS TIMESTAMP)) AS VARCHAR)",
        "DATE" => $"CAST(epoch_ms(CAST({sql} AS TIMESTAMP)) AS VARCHAR)",
        "BLOB" => $"to_base64({sql})",
        _ when !IsPrimitive(duckType) => $"CAST(to_json({sql}) AS VARCHAR)",
        _ => $"CAST({sql} AS VARCHAR)",
    };

    private static bool IsPrimitive(string duckType) =>
        !(duckType.StartsWith("STRUCT", StringComparison.Ordinal) || duckType.StartsWith("MAP", StringComparison.Ordinal) ||
          duckType.StartsWith("UNION", StringComparison.Ordinal) || duckType.EndsWith(']'));

    private static string DruidType(string duckType) => duckType switch
    {
        "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "UBIGINT" or "UINTEGER" or "USMALLINT" or "UTINYINT" or "HUGEINT" or "BOOLEAN" => "long",
        "DOUBLE" or "FLOAT" => "double",
        _ when duckType.StartsWith("DECIMAL", StringComparison.Ordinal) => "double",
        _ when duckType.StartsWith("TIMESTAMP", StringComparison.Ordinal) || duckType == "DATE" => "long",
        _ => "string",
    };

    private static async Task<List<(string Name, string Type)>> DescribeAsync(DuckDBConnection db, IReadOnlyList<InputFile> files, InputFormatSpec format,
        string select, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT {select} FROM read_parquet([{string.Join(", ", files.Select(f => Sql.Literal(f.Path)))}], union_by_name=true, " +
                              $"binary_as_string={(format.BinaryAsString ? "true" : "false")})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var result = new List<(string, string)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            result.Add((reader.GetString(0), reader.GetString(1)));
        }

        return result;
    }
}
