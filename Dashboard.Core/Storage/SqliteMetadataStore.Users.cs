using System.Text.Json;
using Dashboard.Core.Security;

namespace Dashboard.Core.Storage;

/// <summary>Users managed by admins: name, role, PBKDF2 hash and data source permissions (never a clear password).</summary>
public sealed partial class SqliteMetadataStore
{
    private static readonly JsonSerializerOptions PermissionJson = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public async Task<IReadOnlyList<DruidUser>> GetUsersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT name, role, password_hash, permissions FROM users ORDER BY name");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var users = new List<DruidUser>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            users.Add(new DruidUser(name, DruidRoles.Parse(reader.GetString(1), $"user [{name}]"), reader.GetString(2),
                JsonSerializer.Deserialize<List<DataSourcePermission>>(reader.GetString(3), PermissionJson) ?? [], UserSource.MetadataStore));
        }

        return users;
    }

    public Task SaveUserAsync(DruidUser user, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) => Command(c, t,
            "INSERT INTO users (name, role, password_hash, permissions, updated_ms) VALUES (@name, @role, @hash, @permissions, @now) " +
            "ON CONFLICT (name) DO UPDATE SET role = excluded.role, password_hash = excluded.password_hash, permissions = excluded.permissions, updated_ms = excluded.updated_ms",
            ("@name", user.Name), ("@role", user.Role.ToString()), ("@hash", user.PasswordHash),
            ("@permissions", JsonSerializer.Serialize(user.Permissions, PermissionJson)), ("@now", _time.GetUtcNow().ToUnixTimeMilliseconds())).ExecuteNonQuery(),
            cancellationToken);

    public async Task<bool> DeleteUserAsync(string name, CancellationToken cancellationToken) =>
        await _writer.WriteAsync((c, t) => Command(c, t, "DELETE FROM users WHERE name = @name", ("@name", name)).ExecuteNonQuery(), cancellationToken) > 0;
}
