using System.Text.Json.Nodes;
using Dashboard.Core.Overlord;

namespace Dashboard.Core.Tasks;

/// <summary>
/// A task the overlord queues, locks and runs. Built by an <see cref="ITaskFactory"/> from the submitted JSON.
/// </summary>
public interface ITask
{
    string Id { get; }
    string Type { get; }
    string GroupId { get; }
    string DataSource { get; }

    /// <summary>Lock priority, from the context key <c>priority</c> or the type's default.</summary>
    int Priority { get; }

    /// <summary>The task as <c>GET /task/{id}</c> returns it: the spec with id, groupId, resource and context filled in.</summary>
    JsonObject Payload { get; }

    /// <summary>The time-chunk locks the task needs before it may run. Empty for tasks that write nothing.</summary>
    IReadOnlyList<LockRequest> LockRequests { get; }

    /// <summary>
    /// Free task slots needed to start: 1 for most tasks; 2 for a task that runs subtasks and waits for them (an MSQ
    /// controller, a parallel index task), so that running parents always leave a slot for their subtasks.
    /// </summary>
    int SlotsToStart => 1;

    /// <summary>Runs the task. Cancellation means a shutdown request; the result is then ignored.</summary>
    Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken);
}
