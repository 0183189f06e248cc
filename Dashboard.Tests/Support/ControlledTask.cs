using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Dashboard.Core.Overlord;
using Dashboard.Core.Tasks;

namespace Dashboard.Tests.Support;

/// <summary>
/// A test task type ("controlled") that runs until the test releases it, so state-machine tests decide exactly when
/// each task ends. Optional <c>interval</c> takes an exclusive lock; <c>fail</c> makes it fail with that message.
/// </summary>
public sealed class ControlledTaskFactory : ITaskFactory
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<TaskRunResult>> _gates = new();
    private readonly ConcurrentDictionary<string, bool> _started = new();

    public string Type => "controlled";

    public ValueTask<ITask> CreateAsync(TaskSpec spec, CancellationToken cancellationToken) => ValueTask.FromResult<ITask>(new ControlledTask(spec, this));

    public bool HasStarted(string taskId) => _started.ContainsKey(taskId);

    public void Succeed(string taskId) => Gate(taskId).TrySetResult(TaskRunResult.Success());

    public void Fail(string taskId, string message) => Gate(taskId).TrySetResult(TaskRunResult.Failure(message));

    public void Throw(string taskId, Exception ex) => Gate(taskId).TrySetException(ex);

    private TaskCompletionSource<TaskRunResult> Gate(string taskId) =>
        _gates.GetOrAdd(taskId, _ => new TaskCompletionSource<TaskRunResult>(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class ControlledTask(TaskSpec spec, ControlledTaskFactory factory)
        : AbstractTask(spec, spec.GetString("dataSource") ?? "test", defaultPriority: 0)
    {
        private readonly Dashboard.Core.Common.Interval? _interval = spec.GetInterval("interval");

        public override IReadOnlyList<LockRequest> LockRequests =>
            _interval is { } i ? [new LockRequest(DataSource, i, TaskLockType.Exclusive)] : [];

        public override async Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken)
        {
            factory._started[Id] = true;
            await toolbox.LogAsync("controlled task started", cancellationToken);
            return await factory.Gate(Id).Task.WaitAsync(cancellationToken);
        }

        protected override void WriteFields(JsonObject payload)
        {
            if (_interval is { } i)
            {
                payload["interval"] = i.ToString();
            }
        }
    }
}
