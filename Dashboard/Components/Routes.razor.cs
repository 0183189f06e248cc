using Dashboard.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components;

/// <summary>The interactive root: routes pages and cascades the <see cref="ShellContext"/> to the layout.</summary>
public partial class Routes
{
    [Parameter]
    public ShellContext Shell { get; set; } = new();
}
