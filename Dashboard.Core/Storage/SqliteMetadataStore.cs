using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Dashboard.Core.Storage;

/// <summary>
/// The metadata store in a SQLite file under the data dir (WAL, one group-committing writer, pooled readers).
/// </summary>
public sealed partial class SqliteMetadataStore : ITaskStorage, ISegmentMetadataStore, IAuditLog, Security.IUserStore, IAsyncDisposable
{
    private const string TaskColumns =
        "id, group_id, type, datasource, created_ms, status_code, duration, error_msg, error_detail, location_host, location_port, location_tls_port";

    private readonly string _connectionString;
    private readonly SqliteWriteQueue _writer;
    private long _segmentsGeneration;
    private int _segmentWrites;
    private readonly TimeProvider _time;

    public SqliteMetadataStore(DataDirectory dataDirectory, TimeProvider time, ILogger<SqliteMetadataStore> logger)
    {
        _time = time;
        var path = dataDirectory.PathFor("metadata.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
        DatabasePath = path;

        var writeConnection = new SqliteConnection(_connectionString);
        writeConnection.Open();
        using (var setup = writeConnection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=OFF;" + SqliteSchema.Create;
            setup.ExecuteNonQuery();
        }

        _writer = new SqliteWriteQueue(writeConnection, logger);
    }

    public string DatabasePath { get; }

    public Task InsertAsync(TaskRecord task, string payloadJson, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) =>
        {
            try
            {
                Command(c, t, $"INSERT INTO tasks ({TaskColumns}, active, payload) VALUES " +
                              "(@id, @group, @type, @ds, @created, @status, @duration, @err, @detail, @host, @port, @tls, 1, @payload)",
                    TaskParameters(task).Append(("@payload", payloadJson)).ToArray()).ExecuteNonQuery();
            }
            catch (SqliteException ex) when (ex.SqliteErrorCode == 19)
            {
                throw DruidException.EntryAlreadyExists($"Task[{task.Id}] already exists");
            }

            return 0;
        }, cancellationToken);

    public async Task CompleteAsync(TaskCompletion completion, CancellationToken cancellationToken)
    {
        // Segments change only here: readers of SegmentsGeneration bypass their caches while a completion is in flight.
        Interlocked.Increment(ref _segmentWrites);
        try
        {
            await _writer.WriteAsync((c, t) =>
        {
            var s = completion.Status;
            Command(c, t, "UPDATE tasks SET active = 0, status_code = @status, duration = @duration, error_msg = @err, error_detail = @detail, " +
                          "location_host = @host, location_port = @port, location_tls_port = @tls WHERE id = @id",
                ("@id", s.Id), ("@status", s.Status.ToString()), ("@duration", s.Duration), ("@err", s.ErrorMsg), ("@detail", completion.ErrorDetail),
                ("@host", s.Location.Host), ("@port", s.Location.Port), ("@tls", s.Location.TlsPort)).ExecuteNonQuery();
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            if (completion.Report is { } report)
            {
                UpsertReport(c, t, s.Id, report, now);
            }

            CompleteSegments(c, t, completion, now);
            return 0;
        }, cancellationToken);
        }
        finally
        {
            Interlocked.Increment(ref _segmentsGeneration);
            Interlocked.Decrement(ref _segmentWrites);
        }
    }

    /// <summary>
    /// The generation of the used-segment set, bumped after every task completion; false while a completion is being
    /// written (its segments may or may not be visible yet), when a cache must read the store instead.
    /// </summary>
    public bool TryGetSegmentsGeneration(out long generation)
    {
        var writing = Volatile.Read(ref _segmentWrites) > 0;
        generation = Volatile.Read(ref _segmentsGeneration);
        return !writing;
    }

    public async Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken) =>
        (await QueryTasksAsync($"SELECT {TaskColumns} FROM tasks WHERE id = @id", [("@id", taskId)], cancellationToken)).FirstOrDefault();

    public async Task<string?> GetPayloadAsync(string taskId, CancellationToken cancellationToken) =>
        await ScalarAsync<string>("SELECT payload FROM tasks WHERE id = @id", [("@id", taskId)], cancellationToken);

    public Task<IReadOnlyList<TaskRecord>> GetActiveAsync(CancellationToken cancellationToken) =>
        QueryTasksAsync($"SELECT {TaskColumns} FROM tasks WHERE active = 1 ORDER BY created_ms, rowid", [], cancellationToken);

    public Task<IReadOnlyList<TaskRecord>> GetCompleteAsync(CompleteTaskFilter filter, CancellationToken cancellationToken)
    {
        var sql = new System.Text.StringBuilder($"SELECT {TaskColumns} FROM tasks WHERE active = 0");
        var parameters = new List<(string, object?)>();
        if (filter.DataSource is not null)
        {
            sql.Append(" AND datasource = @ds");
            parameters.Add(("@ds", filter.DataSource));
        }

        if (filter.Type is not null)
        {
            sql.Append(" AND type = @type");
            parameters.Add(("@type", filter.Type));
        }

        if (filter.CreatedFrom is { } from)
        {
            sql.Append(" AND created_ms >= @from");
            parameters.Add(("@from", from.ToUnixTimeMilliseconds()));
        }

        if (filter.CreatedTo is { } to)
        {
            sql.Append(" AND created_ms < @to");
            parameters.Add(("@to", to.ToUnixTimeMilliseconds()));
        }

        sql.Append(" ORDER BY created_ms DESC, rowid DESC");
        if (filter.Max is { } max)
        {
            sql.Append(" LIMIT @max");
            parameters.Add(("@max", max));
        }

        return QueryTasksAsync(sql.ToString(), parameters, cancellationToken);
    }

    public async Task<IReadOnlyList<TaskRecord>> GetManyAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        var result = new List<TaskRecord>(taskIds.Count);
        foreach (var chunk in taskIds.Chunk(500))
        {
            var names = chunk.Select((_, i) => $"@p{i}").ToArray();
            var parameters = chunk.Select((id, i) => ($"@p{i}", (object?)id)).ToList();
            result.AddRange(await QueryTasksAsync($"SELECT {TaskColumns} FROM tasks WHERE id IN ({string.Join(',', names)})", parameters, cancellationToken));
        }

        return result;
    }

    public Task SaveReportAsync(string taskId, JsonObject report, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) =>
        {
            UpsertReport(c, t, taskId, report, _time.GetUtcNow().ToUnixTimeMilliseconds());
            return 0;
        }, cancellationToken);

    public Task<string?> GetReportAsync(string taskId, CancellationToken cancellationToken) =>
        ScalarAsync<string>("SELECT report FROM task_reports WHERE task_id = @id", [("@id", taskId)], cancellationToken);

    /// <summary>Inserts many complete tasks in one transaction (used to seed benchmarks and tests).</summary>
    public Task BulkInsertCompleteAsync(IReadOnlyList<(TaskRecord Task, string PayloadJson)> tasks, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) =>
        {
            using var command = Command(c, t, $"INSERT INTO tasks ({TaskColumns}, active, payload) VALUES " +
                                              "(@id, @group, @type, @ds, @created, @status, @duration, @err, @detail, @host, @port, @tls, 0, @payload)",
                TaskParameters(tasks[0].Task).Append(("@payload", tasks[0].PayloadJson)).ToArray());
            command.Prepare();
            foreach (var (task, payload) in tasks)
            {
                foreach (var (name, value) in TaskParameters(task).Append(("@payload", payload)))
                {
                    command.Parameters[name].Value = value ?? DBNull.Value;
                }

                command.ExecuteNonQuery();
            }

            return 0;
        }, cancellationToken);

    private static IEnumerable<(string, object?)> TaskParameters(TaskRecord task) =>
    [
        ("@id", task.Id), ("@group", task.GroupId), ("@type", task.Type), ("@ds", task.DataSource),
        ("@created", task.CreatedTime.ToUnixTimeMilliseconds()), ("@status", task.Status.Status.ToString()), ("@duration", task.Status.Duration),
        ("@err", task.Status.ErrorMsg), ("@detail", task.ErrorDetail), ("@host", task.Status.Location.Host),
        ("@port", task.Status.Location.Port), ("@tls", task.Status.Location.TlsPort),
    ];

    private static void UpsertReport(SqliteConnection c, SqliteTransaction t, string taskId, JsonObject report, long nowMs) =>
        Command(c, t, "INSERT INTO task_reports (task_id, report, updated_ms) VALUES (@id, @report, @now) " +
                      "ON CONFLICT (task_id) DO UPDATE SET report = excluded.report, updated_ms = excluded.updated_ms",
            ("@id", taskId), ("@report", report.ToJsonString(DruidJson.Options)), ("@now", nowMs)).ExecuteNonQuery();

    private async Task<IReadOnlyList<TaskRecord>> QueryTasksAsync(string sql, IReadOnlyList<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tasks = new List<TaskRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetString(0);
            var location = new TaskLocation(reader.IsDBNull(9) ? null : reader.GetString(9), reader.GetInt32(10), reader.GetInt32(11));
            var status = new TaskStatus(id, Enum.Parse<TaskState>(reader.GetString(5)), reader.GetInt64(6),
                reader.IsDBNull(7) ? null : reader.GetString(7), location);
            tasks.Add(new TaskRecord(id, reader.GetString(1), reader.GetString(2), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)), status, reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return tasks;
    }

    private async Task<T?> ScalarAsync<T>(string sql, IReadOnlyList<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, sql, parameters.ToArray());
        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
