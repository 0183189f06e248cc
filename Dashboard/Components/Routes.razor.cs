using Dashboard.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components;

/// <summary>The interactive root: routes pages and cascades the <see cref="ShellContext"/> to the layout.</summary>
public partial class Routes
{
    [Parameter]
    public ShellContext Shell { get; set; } = new();

    [Inject]
    private Security.OperatorActions Actions { get; set; } = default!;

    /// <summary>The circuit's writes are audited with the address the page request came from.</summary>
    protected override void OnInitialized() => Actions.RemoteAddress = Shell.RemoteAddress;
}
