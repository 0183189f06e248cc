namespace Dashboard.Core.Tasks;

/// <summary>Builds one task type from its submitted JSON; registered in <see cref="TaskTypeRegistry"/>.</summary>
public interface ITaskFactory
{
    /// <summary>The value of <c>type</c> this factory handles, e.g. <c>noop</c> or <c>index_parallel</c>.</summary>
    string Type { get; }

    /// <summary>Builds the task. Throws a 400 <see cref="Errors.DruidException"/> naming the field that is wrong.</summary>
    ValueTask<ITask> CreateAsync(TaskSpec spec, CancellationToken cancellationToken);
}
