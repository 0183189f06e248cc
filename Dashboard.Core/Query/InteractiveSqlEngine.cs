using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Engine;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Msq.Dialect;
using Dashboard.Core.Msq.Execution;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Query;

/// <summary>
/// Runs the SELECTs of <c>POST /druid/v2/sql</c> synchronously, with no task: planned by <see cref="MsqPlanner"/> (the
/// same Druid SQL front end and resolution of datasources to visible segments as SQL tasks), run in a sealed session
/// that may read exactly those segment files, and streamed row by row. Interactive queries have their own bounded
/// slots (<see cref="SqlQueryOptions.MaxConcurrentQueries"/>), so they never take a task slot.
/// </summary>
public sealed class InteractiveSqlEngine(MsqPlanner planner, DuckDbSessionFactory sessions, SystemTableRows systemTables, IOptions<SqlQueryOptions> options)
{
    private readonly SemaphoreSlim _slots = new(Math.Max(1, options.Value.MaxConcurrentQueries));
    private readonly ConcurrentDictionary<string, SqlQueryCursor> _running = new(StringComparer.Ordinal);

    public int Capacity => Math.Max(1, options.Value.MaxConcurrentQueries);

    /// <summary>
    /// Plans and starts a query and returns its cursor once DuckDB has bound it, so every planning error is a 400 before
    /// a byte of the response is written. The caller reads the rows and disposes the cursor (which frees the slot).
    /// </summary>
    public async Task<SqlQueryCursor> StartAsync(SqlQueryRequest request, CancellationToken cancellationToken)
    {
        var context = (JsonObject)request.Context.DeepClone();
        var sqlQueryId = context["sqlQueryId"] is JsonValue id && id.TryGetValue<string>(out var given) && !string.IsNullOrWhiteSpace(given) ? given : Guid.NewGuid().ToString();
        context["sqlQueryId"] = sqlQueryId;
        var timeout = TimeoutOf(context);
        var sql = SqlParameters.Bind(request.Query, request.Parameters);
        if (!await _slots.WaitAsync(0, cancellationToken))
        {
            throw SqlQueryException.CapacityExceeded(Capacity);
        }

        var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        SqlQueryCursor? cursor = null;
        try
        {
            if (timeout > TimeSpan.Zero)
            {
                timer.CancelAfter(timeout);
            }

            var plan = await planner.PlanInteractiveAsync(sql, context, timer.Token);
            cursor = new SqlQueryCursor(sqlQueryId, plan, timer, timeout, () => Finish(sqlQueryId));
            if (!_running.TryAdd(sqlQueryId, cursor))
            {
                cursor = null;
                throw MsqErrors.Invalid($"A query with sqlQueryId [{sqlQueryId}] is already running: give each query its own sqlQueryId, or leave it out.");
            }

            var db = await sessions.OpenAsync(Scope(plan), timer.Token);
            await cursor.OpenAsync(db, (session, token) => systemTables.LoadAsync(session, plan.SystemTables, request.CanRead, token), timer.Token);
            return cursor;
        }
        catch
        {
            if (cursor is not null)
            {
                await cursor.DisposeAsync();
            }
            else
            {
                timer.Dispose();
                _slots.Release();
            }

            // Once the timeout or a DELETE fired, whatever the interrupted step threw (DuckDB, SQLite, a cancellation) is that.
            if (timer.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw cursor?.CancelReason() ?? SqlQueryException.Timeout(sqlQueryId, timeout);
            }

            throw;
        }
    }

    /// <summary>Cancels the running query of that id (<c>DELETE /druid/v2/sql/{id}</c>); false when none runs.</summary>
    public bool Cancel(string sqlQueryId)
    {
        if (!_running.TryGetValue(sqlQueryId, out var cursor))
        {
            return false;
        }

        cursor.Cancel();
        return true;
    }

    /// <summary>The datasources a running query reads (to authorize its cancellation), or null when none of that id runs.</summary>
    public IReadOnlyList<string>? DataSourcesOf(string sqlQueryId) =>
        _running.TryGetValue(sqlQueryId, out var cursor) ? cursor.Plan.Translated.DataSources : null;

    private void Finish(string sqlQueryId)
    {
        _running.TryRemove(sqlQueryId, out _);
        _slots.Release();
    }

    private DuckDbSessionScope Scope(InteractivePlan plan) => DuckDbSessionScope.ForTask("sql-query") with
    {
        Files = plan.Tables.SelectMany(t => t.Files).ToList(),
        MemoryLimitMiB = options.Value.QueryMemoryMiB > 0 ? options.Value.QueryMemoryMiB : null,
    };

    private TimeSpan TimeoutOf(JsonObject context)
    {
        if (context["timeout"] is not { } node)
        {
            return options.Value.DefaultTimeout;
        }

        if (!JsonNumbers.TryGetInt64(node, out var ms) || ms < 0)
        {
            throw DruidException.InvalidInput($"Context key [timeout] must be a whole number of milliseconds, 0 or more (0: no timeout), got [{node.ToJsonString()}].");
        }

        return TimeSpan.FromMilliseconds(ms);
    }
}
