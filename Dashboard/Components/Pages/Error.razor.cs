using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>Shown by the exception handler outside Development; names the request by the correlation id its log line carries.</summary>
public partial class Error
{
    [CascadingParameter]
    private HttpContext? HttpContext { get; set; }

    private string? RequestId { get; set; }

    protected override void OnInitialized() =>
        RequestId = HttpContext is null ? null : Hosting.ExceptionBoundary.CorrelationIdOf(HttpContext);
}
