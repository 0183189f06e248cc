using Dashboard.Core.Ingestion.Engine;
using DuckDB.NET.Data;

namespace Dashboard.Core.Msq.Execution;

/// <summary>
/// An EXTERN Parquet input as a worker reads it: the signature's columns by name from every file (a column a file lacks
/// reads as null), typed as the signature says. TIMESTAMP and DATE columns read as epoch milliseconds where the
/// signature asks for a long (as Druid's Parquet reader gives them), as ISO text where it asks for a string (as the sampler
/// shows them, so the dialog's TIME_PARSE reads them).
/// </summary>
public static class MsqParquetSource
{
    public static async Task<string> SourceSqlAsync(DuckDBConnection db, MsqWorkerInput input, CancellationToken cancellationToken)
    {
        var binaryAsString = input.InputFormat?["binaryAsString"]?.GetValue<bool>() ?? false;
        var read = $"read_parquet([{string.Join(", ", input.Files.Select(Sql.Literal))}], union_by_name=true, binary_as_string={(binaryAsString ? "true" : "false")})";
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var command = db.CreateCommand())
        {
            command.CommandText = $"DESCRIBE SELECT * FROM {read}";
            try
            {
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    types[reader.GetString(0)] = reader.GetString(1);
                }
            }
            catch (DuckDBException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new IOException($"EXTERN input is not readable as Parquet: {ex.Message.Split('\n')[0]}. " +
                                      "Replace the file with a complete Parquet file or leave it out of the input.", ex);
            }
        }

        var columns = input.Signature.Select(c => $"{Column(c.Name, c.Type, types)} AS {Sql.Name(c.Name)}");
        return $"(SELECT {string.Join(", ", columns)} FROM {read})";
    }

    private static string Column(string name, string druidType, IReadOnlyDictionary<string, string> types)
    {
        var target = MsqTypes.DuckDbTypeOf(druidType);
        if (!types.TryGetValue(name, out var type))
        {
            return $"CAST(NULL AS {target})";
        }

        var isTime = type.StartsWith("TIMESTAMP", StringComparison.Ordinal) || type == "DATE";
        return target switch
        {
            // As the sampler shows them (and the dialog's TIME_PARSE reads them): ISO text.
            "VARCHAR" when isTime => $"strftime(CAST({Sql.Name(name)} AS TIMESTAMP), '%Y-%m-%dT%H:%M:%S.%gZ')",
            "VARCHAR" => ParquetInput.Text(Sql.Name(name), type),
            "BIGINT" when isTime => $"epoch_ms(CAST({Sql.Name(name)} AS TIMESTAMP))",
            _ when isTime => $"CAST(epoch_ms(CAST({Sql.Name(name)} AS TIMESTAMP)) AS {target})",
            _ => $"TRY_CAST({Sql.Name(name)} AS {target})",
        };
    }
}
