namespace Dashboard.Core.Security;

/// <summary>
/// The <c>Security</c> configuration section: users (a password may be given in clear, as environment variables often
/// carry it; it is hashed when loaded and the clear text is not kept) and whether a server bound to a non-loopback
/// address may run without users.
/// </summary>
public sealed class SecurityOptions
{
    public const string Section = "Security";

    public List<ConfiguredUser> Users { get; set; } = [];

    /// <summary>Lets a server with no users listen on a non-loopback address; everyone is then an anonymous admin.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Failed sign-in form posts per user name, client address and minute before that user is locked there for a minute.</summary>
    public int LoginAttemptsPerMinute { get; set; } = 10;

    /// <summary>Failed HTTP Basic sign-ins per user name, client address and minute before that user gets 429 there for a minute.</summary>
    public int FailedSignInsPerMinute { get; set; } = 30;

    /// <summary>Failed sign-ins (Basic and form, any user name) per client address and minute before the whole address is locked for a minute.</summary>
    public int FailedSignInsPerAddressPerMinute { get; set; } = 300;
}

/// <summary>A user from configuration: <c>Security:Users:0:Name</c>, <c>:Password</c>, <c>:Role</c>, <c>:Permissions</c>.</summary>
public sealed class ConfiguredUser
{
    public string Name { get; set; } = "";

    public string? Password { get; set; }

    public string Role { get; set; } = nameof(DruidRole.Viewer);

    /// <summary>When given, the data sources this user may touch; otherwise all (within the role).</summary>
    public List<DataSourcePermission> Permissions { get; set; } = [];
}

/// <summary>
/// READ and/or WRITE on data sources whose name matches <see cref="DataSource"/>: a name, <c>*</c>, or a regular
/// expression matched against the whole name (Druid's basic authorizer matches resource names as patterns too).
/// </summary>
public sealed class DataSourcePermission
{
    public string DataSource { get; set; } = "*";

    public List<DruidAction> Actions { get; set; } = [DruidAction.READ];
}
