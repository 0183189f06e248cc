namespace Dashboard.Core.Security;

/// <summary>Users kept in the metadata store (only hashes), managed through the users API and the admin page.</summary>
public interface IUserStore
{
    Task<IReadOnlyList<DruidUser>> GetUsersAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces the user's row.</summary>
    Task SaveUserAsync(DruidUser user, CancellationToken cancellationToken);

    Task<bool> DeleteUserAsync(string name, CancellationToken cancellationToken);
}

/// <summary>Cluster mode has no metadata store of its own: users created there live until the process stops.</summary>
public sealed class InMemoryUserStore : IUserStore
{
    private readonly Dictionary<string, DruidUser> _users = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public Task<IReadOnlyList<DruidUser>> GetUsersAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<DruidUser>>(_users.Values.ToList());
        }
    }

    public Task SaveUserAsync(DruidUser user, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            _users[user.Name] = user;
        }

        return Task.CompletedTask;
    }

    public Task<bool> DeleteUserAsync(string name, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_users.Remove(name));
        }
    }
}
