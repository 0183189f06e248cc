using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Overlord;

namespace Dashboard.Core.Tasks;

/// <summary>
/// Druid's <c>noop</c> task: sleeps for <c>runTime</c> ms and succeeds. Used to exercise the queue, locks and slots.
/// An optional <c>interval</c> (an extension; Druid's noop has none) makes it hold an exclusive lock on that time
/// chunk of its data source, so lock waiting can be shown without writing data.
/// </summary>
public sealed class NoopTask : AbstractTask
{
    public const string TypeName = "noop";
    public const long DefaultRunTimeMs = 2500;

    public NoopTask(TaskSpec spec) : base(spec, spec.GetString("dataSource") ?? "none", defaultPriority: 0)
    {
        RunTimeMs = spec.GetLong("runTime") ?? DefaultRunTimeMs;
        if (RunTimeMs < 0)
        {
            throw TaskSpec.Invalid($"runTime must be zero or more milliseconds, got [{RunTimeMs}]");
        }

        IsReadyTime = spec.GetLong("isReadyTime") ?? 0;
        IsReadyResult = spec.GetString("isReadyResult") ?? "YES";
        Interval = spec.GetInterval("interval");
    }

    public long RunTimeMs { get; }
    public long IsReadyTime { get; }
    public string IsReadyResult { get; }
    public Interval? Interval { get; }

    public override IReadOnlyList<LockRequest> LockRequests =>
        Interval is { } i ? [new LockRequest(DataSource, i, TaskLockType.Exclusive)] : [];

    public override async Task<TaskRunResult> RunAsync(ITaskToolbox toolbox, CancellationToken cancellationToken)
    {
        await toolbox.LogAsync($"Running noop task for {RunTimeMs} ms.", cancellationToken);
        if (RunTimeMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(RunTimeMs), cancellationToken);
        }

        return TaskRunResult.Success(TaskContextReport());
    }

    protected override void WriteFields(JsonObject payload)
    {
        payload["runTime"] = RunTimeMs;
        payload["isReadyTime"] = IsReadyTime;
        payload["isReadyResult"] = IsReadyResult;
        if (Interval is { } i)
        {
            payload["interval"] = i.ToString();
        }
    }

    public sealed class Factory : ITaskFactory
    {
        public string Type => TypeName;

        public ValueTask<ITask> CreateAsync(TaskSpec spec, CancellationToken cancellationToken) => ValueTask.FromResult<ITask>(new NoopTask(spec));
    }
}
