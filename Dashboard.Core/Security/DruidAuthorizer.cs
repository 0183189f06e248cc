using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Dashboard.Core.Security;

/// <summary>
/// Answers "may this identity do this action on this resource": the one rule the HTTP API's authorization point and the
/// dashboard's buttons both ask. Roles are ceilings (Viewer reads, Operator also writes data sources and state, Admin also
/// reads and writes CONFIG: users and audit); a user's data source permissions, when given, narrow DATASOURCE actions
/// further (WRITE includes READ). Without any users everyone is the anonymous admin.
/// </summary>
public sealed class DruidAuthorizer(UserDirectory users)
{
    private static readonly ConcurrentDictionary<string, Regex?> Patterns = new(StringComparer.Ordinal);

    public bool IsOpen => !users.HasUsers;

    /// <summary>The role this identity has now (null: unknown or deleted user).</summary>
    public DruidRole? RoleOf(string? identity) =>
        IsOpen ? DruidRole.Admin : users.Find(identity)?.Role;

    public bool IsAllowed(string? identity, ResourceAction what)
    {
        if (IsOpen)
        {
            return true;
        }

        if (users.Find(identity) is not { } user)
        {
            return false;
        }

        if (user.Role == DruidRole.Admin)
        {
            return true;
        }

        var roleAllows = what.Resource.Type switch
        {
            ResourceType.CONFIG => false,
            _ => what.Action == DruidAction.READ || user.Role >= DruidRole.Operator,
        };
        if (!roleAllows || what.Resource.Type != ResourceType.DATASOURCE || user.Permissions.Count == 0)
        {
            return roleAllows;
        }

        return user.Permissions.Any(p => Matches(p.DataSource, what.Resource.Name)
            && (p.Actions.Contains(what.Action) || p.Actions.Contains(DruidAction.WRITE)));
    }

    /// <summary>True when no datasource permission narrows this identity's reads (a user without permissions, an admin, no users).</summary>
    public bool CanReadAllDataSources(string? identity) =>
        IsOpen || users.Find(identity) is { } user && (user.Role == DruidRole.Admin || user.Permissions.Count == 0);

    public bool CanRead(string? identity, string dataSource) =>
        IsAllowed(identity, new ResourceAction(Resource.DataSource(dataSource), DruidAction.READ));

    public bool CanWrite(string? identity, string dataSource) =>
        IsAllowed(identity, new ResourceAction(Resource.DataSource(dataSource), DruidAction.WRITE));

    private static bool Matches(string pattern, string name)
    {
        if (pattern == "*" || string.Equals(pattern, name, StringComparison.Ordinal))
        {
            return true;
        }

        var regex = Patterns.GetOrAdd(pattern, p =>
        {
            try
            {
                return new Regex($"^(?:{p})$", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(50));
            }
            catch (ArgumentException)
            {
                return null;
            }
        });
        try
        {
            return regex?.IsMatch(name) == true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
