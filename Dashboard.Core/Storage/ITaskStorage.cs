using System.Text.Json.Nodes;

namespace Dashboard.Core.Storage;

/// <summary>
/// Persisted tasks, their statuses and reports. Every write is durable before the returned task completes.
/// SQLite implements it by default; a shared PostgreSQL store can implement the same contract.
/// </summary>
public interface ITaskStorage
{
    /// <summary>Stores a new active task. Throws a 400 entryAlreadyExists DruidException if the id is taken.</summary>
    Task InsertAsync(TaskRecord task, string payloadJson, CancellationToken cancellationToken);

    /// <summary>Marks the task complete with its status, report and published segments, atomically.</summary>
    Task CompleteAsync(TaskCompletion completion, CancellationToken cancellationToken);

    Task<TaskRecord?> GetAsync(string taskId, CancellationToken cancellationToken);

    Task<string?> GetPayloadAsync(string taskId, CancellationToken cancellationToken);

    Task<IReadOnlyList<TaskRecord>> GetActiveAsync(CancellationToken cancellationToken);

    Task<IReadOnlyList<TaskRecord>> GetCompleteAsync(CompleteTaskFilter filter, CancellationToken cancellationToken);

    Task<IReadOnlyList<TaskRecord>> GetManyAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken);

    Task SaveReportAsync(string taskId, JsonObject report, CancellationToken cancellationToken);

    Task<string?> GetReportAsync(string taskId, CancellationToken cancellationToken);

    /// <summary>
    /// Once per store, at start: encrypts with <paramref name="protectPayload"/> the payloads written in clear by an older
    /// version, and masks their reports and error messages. Returns how many values changed (0 once done).
    /// </summary>
    Task<int> ProtectLegacySecretsAsync(Func<JsonObject, JsonObject> protectPayload, CancellationToken cancellationToken);
}
