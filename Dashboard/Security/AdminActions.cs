using Dashboard.Api;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;

namespace Dashboard.Security;

/// <summary>
/// The admin page's user management and audit reads for the circuit's user: CONFIG READ/WRITE is demanded from the
/// authorizer before each call, and every change is audited, exactly as the users API does.
/// </summary>
public sealed class AdminActions(UserDirectory users, IAuditLog auditLog, OperatorAudit audit, DruidAuthorizer authorizer, OperatorActions circuit)
{
    public bool CanManageUsers => authorizer.IsAllowed(circuit.Identity, new ResourceAction(Resource.Config, DruidAction.WRITE));

    public IReadOnlyList<UserSummary> Users()
    {
        Demand(DruidAction.READ);
        return users.Users.Select(UserSummary.Of).ToList();
    }

    public Task<IReadOnlyList<AuditEntry>> RecentAuditAsync(int max, CancellationToken cancellationToken)
    {
        Demand(DruidAction.READ);
        return auditLog.GetRecentAsync(max, cancellationToken);
    }

    public async Task CreateAsync(string name, string password, DruidRole role, CancellationToken cancellationToken)
    {
        Demand(DruidAction.WRITE);
        var user = await users.CreateAsync(name, password, role, null, cancellationToken);
        await RecordAsync("user.create", user.Name, $"role={user.Role}", cancellationToken);
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken)
    {
        Demand(DruidAction.WRITE);
        await users.DeleteAsync(name, cancellationToken);
        await RecordAsync("user.delete", name, null, cancellationToken);
    }

    public async Task SetRoleAsync(string name, DruidRole role, CancellationToken cancellationToken)
    {
        Demand(DruidAction.WRITE);
        await users.SetRoleAsync(name, role, cancellationToken);
        await RecordAsync("user.role", name, $"role={role}", cancellationToken);
    }

    public async Task SetPasswordAsync(string name, string password, CancellationToken cancellationToken)
    {
        Demand(DruidAction.WRITE);
        await users.SetPasswordAsync(name, password, cancellationToken);
        await RecordAsync("user.password", name, null, cancellationToken);
    }

    private Task RecordAsync(string action, string target, string? detail, CancellationToken cancellationToken) =>
        audit.RecordAsync(circuit.Identity ?? UserDirectory.AnonymousName, circuit.RemoteAddress, action, target, detail, cancellationToken);

    private void Demand(DruidAction action)
    {
        if (!authorizer.IsAllowed(circuit.Identity, new ResourceAction(Resource.Config, action)))
        {
            throw new DruidException(403, ErrorBodyShape.ErrorMap, "Unauthorized: only admins manage users and read the audit log.");
        }
    }
}
