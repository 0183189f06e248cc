using System.Text.Json.Serialization;

namespace Dashboard.Core.Tasks;

/// <summary>
/// A task in task lists and in <c>/task/{id}/status</c>, fields in Druid's wire order (druid-behaviour.md §1.5).
/// <c>status</c> is the deprecated twin of <c>statusCode</c>; pydruid and Druid.Net still read it.
/// </summary>
public sealed record TaskStatusPlus(
    [property: JsonPropertyName("id"), JsonPropertyOrder(1)] string Id,
    [property: JsonPropertyName("groupId"), JsonPropertyOrder(2)] string? GroupId,
    [property: JsonPropertyName("type"), JsonPropertyOrder(3)] string? Type,
    [property: JsonPropertyName("createdTime"), JsonPropertyOrder(4)] DateTimeOffset CreatedTime,
    [property: JsonPropertyName("queueInsertionTime"), JsonPropertyOrder(5)] DateTimeOffset QueueInsertionTime,
    [property: JsonPropertyName("statusCode"), JsonPropertyOrder(6)] TaskState? StatusCode,
    [property: JsonPropertyName("runnerStatusCode"), JsonPropertyOrder(8)] RunnerTaskState? RunnerStatusCode,
    [property: JsonPropertyName("duration"), JsonPropertyOrder(9)] long? Duration,
    [property: JsonPropertyName("location"), JsonPropertyOrder(10)] TaskLocation Location,
    [property: JsonPropertyName("dataSource"), JsonPropertyOrder(11)] string? DataSource,
    [property: JsonPropertyName("errorMsg"), JsonPropertyOrder(12)] string? ErrorMsg)
{
    [JsonPropertyName("status")]
    [JsonPropertyOrder(7)]
    public TaskState? Status => StatusCode;

    /// <summary>What an operator sees: the runner state for active tasks, CANCELED for a task a user shut down.</summary>
    [JsonIgnore]
    public string DisplayStatus => StatusCode switch
    {
        TaskState.RUNNING => (RunnerStatusCode ?? RunnerTaskState.WAITING).ToString(),
        TaskState.FAILED when ErrorMsg == TaskMessages.ShutdownRequestFromUser => "CANCELED",
        _ => StatusCode?.ToString() ?? "UNKNOWN",
    };

    [JsonIgnore]
    public bool IsActive => StatusCode == TaskState.RUNNING;
}
