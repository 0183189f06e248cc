using System.Diagnostics;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>Shown by the exception handler outside Development; names the request so logs can be searched.</summary>
public partial class Error
{
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    private string? RequestId { get; set; }

    protected override void OnInitialized() =>
        RequestId = Activity.Current?.Id ?? HttpContext?.TraceIdentifier;
}
