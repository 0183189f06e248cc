using System.Text.Json.Nodes;
using Dashboard.Core.Overlord;

namespace Dashboard.Core.Tasks;

/// <summary>
/// What every task has: the id (given or generated), group id, data source, priority and context with the
/// defaults Druid adds on submission, and the payload written in Druid's field order.
/// </summary>
public abstract class AbstractTask : ITask
{
    /// <summary>Context keys the task queue fills in when absent (visible in <c>GET /task/{id}</c>).</summary>
    public static readonly IReadOnlyDictionary<string, bool> ContextDefaults = new Dictionary<string, bool>
    {
        ["forceTimeChunkLock"] = true,
        ["useLineageBasedSegmentAllocation"] = true,
    };

    private JsonObject? _payload;

    protected AbstractTask(TaskSpec spec, string dataSource, int defaultPriority)
    {
        Type = spec.Type;
        DataSource = TaskIds.Validate("dataSource", dataSource); // every task type, noop included, before any task exists
        Id = TaskIds.Validate("Task ID", spec.GetString("id") ?? TaskIds.NewTaskId(spec.Type, dataSource, spec.SubmittedAt));
        GroupId = spec.GetString("groupId") ?? Id;
        Context = (JsonObject)spec.Context.DeepClone();
        foreach (var (key, value) in ContextDefaults)
        {
            Context.TryAdd(key, value);
        }

        Priority = spec.GetContextInt("priority") ?? defaultPriority;
    }

    public string Id { get; }
    public string Type { get; }
    public string GroupId { get; }
    public string DataSource { get; }
    public int Priority { get; }
    public JsonObject Context { get; }

    public virtual IReadOnlyList<LockRequest> LockRequests => [];

    public virtual int SlotsToStart => 1;

    public JsonObject Payload => _payload ??= BuildPayload();

    public abstract Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken);

    /// <summary>Adds the type's own fields to the payload, between <c>resource</c> and <c>context</c>.</summary>
    protected abstract void WriteFields(JsonObject payload);

    private JsonObject BuildPayload()
    {
        var payload = new JsonObject
        {
            ["type"] = Type,
            ["id"] = Id,
            ["groupId"] = GroupId,
            ["resource"] = new JsonObject { ["availabilityGroup"] = Id, ["requiredCapacity"] = 1 },
        };
        WriteFields(payload);
        payload["context"] = Context.DeepClone();
        payload["dataSource"] = DataSource;
        return payload;
    }

    /// <summary>The <c>taskContext</c> report every task leaves behind (druid-behaviour.md §4.1).</summary>
    protected JsonObject TaskContextReport() => new()
    {
        ["taskContext"] = new JsonObject { ["type"] = "taskContext", ["taskId"] = Id, ["payload"] = Context.DeepClone() },
    };
}
