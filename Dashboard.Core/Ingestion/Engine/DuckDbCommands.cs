using System.Globalization;
using DuckDB.NET.Data;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>Running statements on a DuckDB connection: cancellable (DuckDB interrupts within ~40 ms) and without ceremony.</summary>
public static class DuckDbCommands
{
    public static async Task ExecuteAsync(this DuckDBConnection db, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var registration = cancellationToken.Register(command.Cancel);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (DuckDBException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }

    /// <summary>The first column of the first row as a long (counts and sums).</summary>
    public static async Task<long> ScalarLongAsync(this DuckDBConnection db, string sql, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var registration = cancellationToken.Register(command.Cancel);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
