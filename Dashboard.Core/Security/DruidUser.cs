namespace Dashboard.Core.Security;

/// <summary>Where a user is defined: configuration (read-only here) or the metadata store (managed by admins).</summary>
public enum UserSource
{
    Configuration,
    MetadataStore,
}

/// <summary>A user as the authenticator and authorizer see it: the password only as a PBKDF2 hash.</summary>
public sealed record DruidUser(string Name, DruidRole Role, string PasswordHash, IReadOnlyList<DataSourcePermission> Permissions, UserSource Source);

/// <summary>A user as the user-management API and page show it: no hash.</summary>
public sealed record UserSummary(string Name, DruidRole Role, UserSource Source, IReadOnlyList<DataSourcePermission> Permissions)
{
    public static UserSummary Of(DruidUser user) => new(user.Name, user.Role, user.Source, user.Permissions);
}
