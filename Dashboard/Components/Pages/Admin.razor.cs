using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Dashboard.Security;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Dashboard.Components.Pages;

/// <summary>Admins' page: users (create, delete, change role and password; configured users read-only) and the audit log, read on open and on Refresh.</summary>
public partial class Admin
{
    private const int AuditRows = 200;

    private IReadOnlyList<UserSummary> _users = [];
    private IReadOnlyList<AuditEntry> _audit = [];
    private string? _newName;
    private string? _newPassword;
    private DruidRole _newRole = DruidRole.Viewer;
    private string? _passwordFor;
    private string? _newPasswordForUser;

    [Inject] private AdminActions Actions { get; set; } = default!;
    [Inject] private ISnackbar Snackbar { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        if (Actions.CanManageUsers)
        {
            _users = Actions.Users();
            await LoadAuditAsync();
        }
    }

    private async Task TabChangedAsync(int index)
    {
        if (index == 1)
        {
            await LoadAuditAsync();
        }
    }

    private async Task LoadAuditAsync() => _audit = await Actions.RecentAuditAsync(AuditRows, CancellationToken.None);

    private Task CreateAsync() => RunAsync(async () =>
    {
        await Actions.CreateAsync(_newName!, _newPassword!, _newRole, CancellationToken.None);
        Snackbar.Add($"Added {_newName} as {_newRole}.", Severity.Success);
        (_newName, _newPassword) = (null, null);
    });

    private Task DeleteAsync(string name) => RunAsync(async () =>
    {
        await Actions.DeleteAsync(name, CancellationToken.None);
        Snackbar.Add($"Deleted {name}.", Severity.Success);
    });

    private Task SetRoleAsync(string name, DruidRole role) => RunAsync(async () =>
    {
        await Actions.SetRoleAsync(name, role, CancellationToken.None);
        Snackbar.Add($"{name} is now {role}.", Severity.Success);
    });

    private Task SetPasswordAsync() => RunAsync(async () =>
    {
        await Actions.SetPasswordAsync(_passwordFor!, _newPasswordForUser!, CancellationToken.None);
        Snackbar.Add($"Password of {_passwordFor} changed.", Severity.Success);
        (_passwordFor, _newPasswordForUser) = (null, null);
    });

    private async Task RunAsync(Func<Task> change)
    {
        try
        {
            await change();
        }
        catch (DruidException ex)
        {
            Snackbar.Add(ex.Message, Severity.Error);
        }

        _users = Actions.Users();
        await LoadAuditAsync();
    }
}
