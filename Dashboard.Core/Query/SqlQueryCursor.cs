using System.Data.Common;
using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Msq.Dialect;
using Dashboard.Core.Msq.Execution;
using DuckDB.NET.Data;

namespace Dashboard.Core.Query;

/// <summary>
/// One running interactive query: its columns, known once DuckDB has bound it, and its rows read one at a time from
/// DuckDB's streaming result, so a large result is never held whole. Disposing it closes the session and frees the slot.
/// </summary>
public sealed class SqlQueryCursor : IAsyncDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly Action _finish;
    private DuckDBConnection? _db;
    private DuckDBCommand? _command;
    private DbDataReader? _reader;
    private CancellationTokenRegistration _interrupt;
    private volatile bool _canceled;
    private int _disposed;

    internal SqlQueryCursor(string sqlQueryId, InteractivePlan plan, CancellationTokenSource timer, TimeSpan timeout, Action finish)
    {
        SqlQueryId = sqlQueryId;
        Plan = plan;
        Timeout = timeout;
        _timer = timer;
        _finish = finish;
    }

    public string SqlQueryId { get; }

    public InteractivePlan Plan { get; }

    public TimeSpan Timeout { get; }

    /// <summary>The result's columns with Druid's native and SQL types.</summary>
    public IReadOnlyList<MsqColumn> Columns { get; private set; } = [];

    public SqlTimeZone TimeZone => Plan.Statement.TimeZone;

    /// <summary>Cancelled by the caller's request, the query's timeout or <see cref="Cancel"/>.</summary>
    public CancellationToken Token => _timer.Token;

    internal async Task OpenAsync(DuckDBConnection db, Func<DuckDBConnection, CancellationToken, Task> loadSystemTables, CancellationToken cancellationToken)
    {
        _db = db;
        await loadSystemTables(db, cancellationToken);
        if (Plan.Tables.Count > 0)
        {
            // One round trip for all the views.
            await db.ExecuteAsync(string.Join(" ", Plan.Tables.Select(t =>
                $"CREATE VIEW {Sql.Name(t.View)} AS SELECT * FROM read_parquet([{string.Join(", ", t.Files.Select(Sql.Literal))}]);")), cancellationToken);
        }

        _command = db.CreateCommand();
        _command.CommandText = Plan.Translated.Sql;
        _command.UseStreamingMode = true;
        _interrupt = cancellationToken.Register(_command.Cancel);
        try
        {
            _reader = await _command.ExecuteReaderAsync(cancellationToken);
        }
        catch (DuckDBException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Binding is planning (a 400 naming what is wrong); anything else failed while computing the first rows (a 500).
            throw ex.Message.StartsWith("Binder Error", StringComparison.Ordinal) || ex.Message.StartsWith("Parser Error", StringComparison.Ordinal) ||
                  ex.Message.StartsWith("Catalog Error", StringComparison.Ordinal)
                ? MsqErrors.Invalid(MsqPlanner.DescribeError(ex.Message))
                : SqlQueryException.Failed(MsqPlanner.DescribeError(ex.Message));
        }

        Columns = Enumerable.Range(0, _reader.FieldCount).Select(i => MsqTypes.FromDuckDb(_reader.GetName(i), _reader.GetDataTypeName(i))).ToList();
    }

    /// <summary>Moves to the next row; false at the end. A timeout or cancellation is a <see cref="SqlQueryException"/>.</summary>
    public async Task<bool> ReadAsync()
    {
        try
        {
            return await _reader!.ReadAsync(_timer.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DuckDBException && _timer.IsCancellationRequested)
        {
            throw CancelReason();
        }
        catch (DuckDBException ex)
        {
            throw SqlQueryException.Failed(MsqPlanner.DescribeError(ex.Message));
        }
    }

    /// <summary>The current row's value of column <paramref name="ordinal"/> as Druid's results carry it.</summary>
    public JsonNode? Value(int ordinal) => _reader!.IsDBNull(ordinal) ? null : ResultValues.ToJson(_reader.GetValue(ordinal), TimeZone);

    internal void Cancel()
    {
        _canceled = true;
        _timer.Cancel();
    }

    /// <summary>Why the query stopped: cancelled by <c>DELETE</c>, or its timeout.</summary>
    internal Exception CancelReason() => _canceled ? SqlQueryException.Canceled(SqlQueryId) : SqlQueryException.Timeout(SqlQueryId, Timeout);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _interrupt.DisposeAsync();
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
        }

        if (_command is not null)
        {
            await _command.DisposeAsync();
        }

        if (_db is not null)
        {
            await _db.DisposeAsync();
        }

        _timer.Dispose();
        _finish();
    }
}
