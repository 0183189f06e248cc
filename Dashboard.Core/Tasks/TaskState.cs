namespace Dashboard.Core.Tasks;

/// <summary>A task's state in the metadata store (<c>statusCode</c>). Complete means not RUNNING.</summary>
public enum TaskState
{
    RUNNING,
    SUCCESS,
    FAILED,
}

/// <summary>Where an active task stands with the task runner (<c>runnerStatusCode</c>).</summary>
public enum RunnerTaskState
{
    /// <summary>Active in the queue but not handed to the runner yet (for example, waiting for locks).</summary>
    WAITING,

    /// <summary>Handed to the runner, waiting for a free task slot.</summary>
    PENDING,

    /// <summary>Running in a task slot.</summary>
    RUNNING,

    /// <summary>Complete; the runner no longer tracks it.</summary>
    NONE,
}

public static class TaskStateExtensions
{
    public static bool IsComplete(this TaskState state) => state != TaskState.RUNNING;
}
