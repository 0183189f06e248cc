using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Dashboard.Core.Storage;

/// <summary>
/// The single writer of a SQLite database, with group commit: writes queued while a transaction commits are applied
/// together in the next one, each in its own savepoint so one failing write does not undo the others. A caller's
/// task completes only after its write is committed.
/// </summary>
internal sealed class SqliteWriteQueue : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Channel<WriteRequest> _requests = Channel.CreateUnbounded<WriteRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public SqliteWriteQueue(SqliteConnection connection, ILogger logger)
    {
        _connection = connection;
        _logger = logger;
        _loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var request = new WriteRequest((c, t) => work(c, t));
        if (!_requests.Writer.TryWrite(request))
        {
            throw new ObjectDisposedException(nameof(SqliteWriteQueue), "The metadata store is shut down; no more writes are accepted.");
        }

        return (T)(await request.Done.Task)!;
    }

    private async Task RunAsync()
    {
        var batch = new List<WriteRequest>(MaxBatch);
        while (await _requests.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _requests.Reader.TryRead(out var request))
            {
                batch.Add(request);
            }

            Commit(batch);
        }
    }

    private void Commit(List<WriteRequest> batch)
    {
        var results = new object?[batch.Count];
        var errors = new Exception?[batch.Count];
        try
        {
            using var transaction = _connection.BeginTransaction();
            for (var i = 0; i < batch.Count; i++)
            {
                Execute(transaction, "SAVEPOINT write");
                try
                {
                    results[i] = batch[i].Work(_connection, transaction);
                    Execute(transaction, "RELEASE write");
                }
                catch (Exception ex)
                {
                    errors[i] = ex;
                    Execute(transaction, "ROLLBACK TO write");
                    Execute(transaction, "RELEASE write");
                }
            }

            transaction.Commit();
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Metadata store commit of {Count} writes failed; none of them were applied.", batch.Count);
            Array.Fill(errors, ex);
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (errors[i] is { } error)
            {
                batch[i].Done.TrySetException(error);
            }
            else
            {
                batch[i].Done.TrySetResult(results[i]);
            }
        }
    }

    private void Execute(SqliteTransaction transaction, string sql)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class WriteRequest(Func<SqliteConnection, SqliteTransaction, object?> work)
    {
        public Func<SqliteConnection, SqliteTransaction, object?> Work { get; } = work;
        public TaskCompletionSource<object?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
