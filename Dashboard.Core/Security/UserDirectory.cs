using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Security;

/// <summary>Security configuration the server cannot start with; the message says which key and why.</summary>
public sealed class SecurityConfigurationException(string message) : Exception(message);

/// <summary>
/// Every user the server knows: the configured ones (hashed when loaded; the clear password is not kept) and the ones in
/// the metadata store. Configured users are read-only here; admins create, delete, re-role and re-password stored ones.
/// Lookups read an in-memory snapshot, replaced after each change.
/// </summary>
public sealed class UserDirectory
{
    /// <summary>The identity of everyone when the server has no users (loopback or <c>AllowAnonymous</c>).</summary>
    public const string AnonymousName = "anonymous";

    private const int MaxCachedCredentials = 1024;

    private readonly IUserStore _store;
    private readonly IReadOnlyDictionary<string, DruidUser> _configured;
    private readonly SemaphoreSlim _changes = new(1, 1);
    private readonly byte[] _cacheKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, (string Name, string Hash)> _verified = new(StringComparer.Ordinal);
    private volatile IReadOnlyDictionary<string, DruidUser> _users;

    public UserDirectory(SecurityOptions options, IUserStore store)
    {
        _store = store;
        var configured = new Dictionary<string, DruidUser>(StringComparer.Ordinal);
        for (var i = 0; i < options.Users.Count; i++)
        {
            var user = options.Users[i];
            string name;
            try
            {
                name = ValidName(user.Name, $"Security:Users:{i}");
            }
            catch (DruidException ex)
            {
                throw new SecurityConfigurationException(ex.Message);
            }

            if (string.IsNullOrEmpty(user.Password))
            {
                throw new SecurityConfigurationException($"Security:Users:{i} ({name}) has no Password.");
            }

            if (!DruidRoles.TryParse(user.Role, out var role))
            {
                throw new SecurityConfigurationException($"Security:Users:{i} ({name}) has the unknown role [{user.Role}]: use Viewer, Operator or Admin.");
            }

            configured[name] = new DruidUser(name, role, PasswordHasher.Hash(user.Password), user.Permissions.ToList(), UserSource.Configuration);
            user.Password = null; // the bound options object does not keep the clear text either
        }

        _configured = configured;
        _users = Merge(store.GetUsersAsync(CancellationToken.None).GetAwaiter().GetResult());
    }

    /// <summary>False while the server has no user at all: then everyone is the anonymous admin.</summary>
    public bool HasUsers => _users.Count > 0;

    public IReadOnlyList<DruidUser> Users => _users.Values.OrderBy(u => u.Name, StringComparer.Ordinal).ToList();

    public DruidUser? Find(string? name) => name is not null && _users.TryGetValue(name, out var user) ? user : null;

    /// <summary>The user whose name and password these are, or null. Recently verified pairs skip PBKDF2 (keyed hash only).</summary>
    public DruidUser? Authenticate(string name, string password)
    {
        if (Find(name) is not { } user)
        {
            return null;
        }

        var key = CacheKey(name, password);
        if (_verified.TryGetValue(key, out var seen) && seen.Hash == user.PasswordHash)
        {
            return user;
        }

        if (!PasswordHasher.Verify(password, user.PasswordHash))
        {
            return null;
        }

        if (_verified.Count >= MaxCachedCredentials)
        {
            _verified.Clear();
        }

        _verified[key] = (name, user.PasswordHash);
        return user;
    }

    /// <summary>A stored user; without a password (Druid's create-then-set-credentials order) it cannot sign in until one is set.</summary>
    public async Task<DruidUser> CreateAsync(string name, string? password, DruidRole role, IReadOnlyList<DataSourcePermission>? permissions, CancellationToken cancellationToken)
    {
        name = ValidName(name, "The user");
        if (password is not null)
        {
            RequirePassword(password);
        }

        return await ChangeAsync(name, existing => existing is null
            ? new DruidUser(name, role, password is null ? "" : PasswordHasher.Hash(password), permissions ?? [], UserSource.MetadataStore)
            : throw DruidException.ErrorMap(400, $"User [{name}] already exists."), cancellationToken);
    }

    public Task<DruidUser> SetRoleAsync(string name, DruidRole role, CancellationToken cancellationToken) =>
        ChangeAsync(name, existing => Stored(existing, name) with { Role = role }, cancellationToken);

    public Task<DruidUser> SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        RequirePassword(password);
        return ChangeAsync(name, existing => Stored(existing, name) with { PasswordHash = PasswordHasher.Hash(password) }, cancellationToken);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            Stored(Find(name), name);
            await _store.DeleteUserAsync(name, cancellationToken);
            _users = Merge(await _store.GetUsersAsync(cancellationToken));
        }
        finally
        {
            _changes.Release();
        }
    }

    private async Task<DruidUser> ChangeAsync(string name, Func<DruidUser?, DruidUser> change, CancellationToken cancellationToken)
    {
        await _changes.WaitAsync(cancellationToken);
        try
        {
            var user = change(Find(name));
            await _store.SaveUserAsync(user, cancellationToken);
            _users = Merge(await _store.GetUsersAsync(cancellationToken));
            return user;
        }
        finally
        {
            _changes.Release();
        }
    }

    private static DruidUser Stored(DruidUser? user, string name) => user switch
    {
        null => throw DruidException.ErrorMap(404, $"User [{name}] does not exist."),
        { Source: UserSource.Configuration } => throw DruidException.ErrorMap(400,
            $"User [{name}] is defined in configuration (Security:Users) and can only be changed there."),
        _ => user,
    };

    private IReadOnlyDictionary<string, DruidUser> Merge(IReadOnlyList<DruidUser> stored)
    {
        var all = new Dictionary<string, DruidUser>(_configured, StringComparer.Ordinal);
        foreach (var user in stored)
        {
            all.TryAdd(user.Name, user); // a configured user of the same name wins
        }

        return all;
    }

    private string CacheKey(string name, string password) =>
        Convert.ToHexString(HMACSHA256.HashData(_cacheKey, Encoding.UTF8.GetBytes($"{name}\0{password}")));

    private static string ValidName(string? name, string owner)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100 || name.Contains(':') || name.Any(char.IsControl))
        {
            throw DruidException.ErrorMap(400, $"{owner} needs a name of 1 to 100 characters without ':' or control characters.");
        }

        return name.Equals(AnonymousName, StringComparison.OrdinalIgnoreCase)
            ? throw DruidException.ErrorMap(400, $"[{AnonymousName}] is reserved for the server without users.")
            : name;
    }

    private static void RequirePassword(string? password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < 8)
        {
            throw DruidException.ErrorMap(400, "The password must have at least 8 characters.");
        }
    }
}
