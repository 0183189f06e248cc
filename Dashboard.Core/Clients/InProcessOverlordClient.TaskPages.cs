namespace Dashboard.Core.Clients;

public sealed partial class InProcessOverlordClient
{
    public Task<TaskPage> QueryTasksAsync(TaskPageQuery query, CancellationToken cancellationToken) => pages.QueryAsync(query, cancellationToken);
}
