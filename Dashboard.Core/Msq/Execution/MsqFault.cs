using System.Text.Json.Nodes;

namespace Dashboard.Core.Msq.Execution;

/// <summary>An MSQ fault (druid-behaviour.md §6): errorCode, errorMessage and the fault's own fields.</summary>
public sealed class MsqFault(string errorCode, string errorMessage, JsonObject? fields = null) : Exception(errorMessage)
{
    public string ErrorCode { get; } = errorCode;

    public JsonObject ToJson()
    {
        var json = new JsonObject { ["errorCode"] = ErrorCode, ["errorMessage"] = Message };
        foreach (var (key, value) in fields ?? [])
        {
            json[key] = value?.DeepClone();
        }

        return json;
    }

    /// <summary>The task's errorMsg for this fault, as Druid writes it: <c>code: message</c>.</summary>
    public string TaskErrorMessage => $"{ErrorCode}: {Message}";

    public static MsqFault Canceled(string reason) =>
        new("Canceled", $"Query canceled due to [{(reason == "TASK_SHUTDOWN" ? "Task shutdown" : "User request")}].", new JsonObject { ["reason"] = reason });

    public static MsqFault TooManyWarnings(string rootErrorCode, long max) =>
        new("TooManyWarnings", $"Too many warnings of type {rootErrorCode} generated (max = {max})", new JsonObject { ["rootErrorCode"] = rootErrorCode, ["maxWarnings"] = max });

    public static MsqFault InsertTimeNull() => new("InsertTimeNull", "Null timestamp (__time) encountered during INSERT or REPLACE.");

    public static MsqFault InsertCannotBeEmpty(string dataSource) =>
        new("InsertCannotBeEmpty", $"No rows to insert for dataSource[{dataSource}]", new JsonObject { ["dataSource"] = dataSource });

    public static MsqFault TooManyBuckets(long max) =>
        new("TooManyBuckets", $"Too many partition buckets (max = {max}); try breaking your query up into smaller queries or using a wider PARTITIONED BY", new JsonObject { ["maxBuckets"] = max });

    /// <summary>
    /// Druid's fault for a task without the memory it needs, with Druid's fields (serverMemory and usableMemory in bytes);
    /// the message says which budget was reached and the key to raise.
    /// </summary>
    public static MsqFault NotEnoughMemory(Engine.TaskBudget budget, long limitMiB, string engineMessage) =>
        new("NotEnoughMemory", $"Not enough memory (available = {limitMiB * 1048576:N0}; server workers = {budget.Slots:N0}; server threads = {budget.Threads:N0}). " +
                               budget.OverBudgetMessage(limitMiB, engineMessage),
            new JsonObject
            {
                ["serverMemory"] = budget.PhysicalMemoryMiB * 1048576, ["usableMemory"] = limitMiB * 1048576,
                ["serverWorkers"] = budget.Slots, ["serverThreads"] = budget.Threads,
            });

    public static MsqFault InsertTimeOutOfBounds(string interval, string bounds) =>
        new("InsertTimeOutOfBounds", $"Query generated time chunk [{interval}] out of bounds specified by replaceExistingTimeChunks [{bounds}]",
            new JsonObject { ["interval"] = interval, ["intervalBounds"] = new JsonArray(bounds) });

    public static MsqFault WorkerFailed(string workerTaskId, string? errorMsg) =>
        new("WorkerFailed", $"Worker task failed: [{workerTaskId}]{(errorMsg is null ? "" : $" ({errorMsg})")}", new JsonObject { ["workerTaskId"] = workerTaskId, ["errorMsg"] = errorMsg });

    public static MsqFault TooManyColumns(int count, int max) =>
        new("TooManyColumns", $"Too many output columns (requested = {count}, max = {max})", new JsonObject { ["numColumns"] = count, ["maxColumns"] = max });

    public static MsqFault ColumnNameRestricted(string column) =>
        new("ColumnNameRestricted", $"[{column}] column name is reserved for MSQ's internal purpose. Please retry the query after renaming the column.",
            new JsonObject { ["columnName"] = column });

    public static MsqFault QueryNotSupported(string detail) =>
        new("QueryNotSupported", $"QueryKit could not translate the provided query to a multi-stage query: {detail}");

    /// <summary>An engine error as the query's fault: what the engine has not implemented is QueryNotSupported, the rest UnknownError.</summary>
    public static MsqFault FromEngineError(string message)
    {
        var first = message.Split('\n')[0];
        const string notImplemented = "Not implemented Error: ";
        return first.StartsWith(notImplemented, StringComparison.Ordinal) ? QueryNotSupported(first[notImplemented.Length..]) : Unknown(first);
    }

    public static MsqFault Unknown(string message) => new("UnknownError", message, new JsonObject { ["message"] = message });
}
