using Dashboard.Model.Wall;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Layout;

/// <summary>The wall screen's shell: no app bar or drawer, the theme from the URL (dark unless <c>theme=light</c>).</summary>
public partial class WallLayout
{
    private bool _dark = true;

    [Inject] private NavigationManager Navigation { get; set; } = default!;

    protected override void OnParametersSet() => _dark = WallOptions.FromUri(Navigation.Uri).Dark;
}
