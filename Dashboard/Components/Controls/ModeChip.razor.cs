using Dashboard.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>Shows where tasks run: in this process (embedded) or on a Druid cluster.</summary>
public partial class ModeChip
{
    [Parameter]
    public string Mode { get; set; } = ShellContext.EmbeddedMode;

    /// <summary>Tooltip text; when not set, explains the embedded mode or names the cluster mode.</summary>
    [Parameter]
    public string? Description { get; set; }

    private string TooltipText => Description ?? (Mode == ShellContext.EmbeddedMode
        ? "Embedded: the overlord and its ingestion engine run inside this server"
        : $"Connected to an Apache Druid cluster ({Mode})");
}
