using Dashboard.Core.Clients;
using MudBlazor;

namespace Dashboard.Model;

/// <summary>
/// How each status looks everywhere in the dashboard: RUNNING blue, PENDING amber, WAITING orange, SUCCESS green,
/// FAILED red, CANCELED grey. The colours are CSS variables (app.css) with light and dark values.
/// </summary>
public static class TaskStatusStyle
{
    public static string CssClass(string status) => "status-" + status.ToLowerInvariant();

    public static string Icon(string status) => status switch
    {
        DisplayStatus.Running => Icons.Material.Filled.PlayCircle,
        DisplayStatus.Pending => Icons.Material.Filled.HourglassTop,
        DisplayStatus.Waiting => Icons.Material.Filled.Lock,
        DisplayStatus.Success => Icons.Material.Filled.CheckCircle,
        DisplayStatus.Failed => Icons.Material.Filled.Error,
        DisplayStatus.Canceled => Icons.Material.Filled.Cancel,
        _ => Icons.Material.Filled.HelpOutline,
    };

    /// <summary>The chip label: what the state means to an operator.</summary>
    public static string Label(string status) => status switch
    {
        DisplayStatus.Running => "Running",
        DisplayStatus.Pending => "Pending",
        DisplayStatus.Waiting => "Waiting",
        DisplayStatus.Success => "Succeeded",
        DisplayStatus.Failed => "Failed",
        DisplayStatus.Canceled => "Canceled",
        _ => status,
    };

    public static string Description(string status) => status switch
    {
        DisplayStatus.Running => "Running in a task slot",
        DisplayStatus.Pending => "Ready, waiting for a free task slot",
        DisplayStatus.Waiting => "Waiting for its time-chunk locks",
        DisplayStatus.Success => "Finished successfully",
        DisplayStatus.Failed => "Finished with an error",
        DisplayStatus.Canceled => "Shut down by a user",
        _ => status,
    };
}
