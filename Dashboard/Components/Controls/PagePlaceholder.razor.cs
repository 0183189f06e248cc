using Dashboard.Components.Layout;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>Heading and plain description for a page whose capability has not shipped yet.</summary>
public partial class PagePlaceholder
{
    [Parameter, EditorRequired]
    public NavSection Section { get; set; } = default!;

    /// <summary>What the page will show, in an operator's words.</summary>
    [Parameter]
    public RenderFragment? ChildContent { get; set; }
}
