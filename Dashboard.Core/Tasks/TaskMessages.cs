namespace Dashboard.Core.Tasks;

/// <summary>Status messages that clients match on, kept in one place.</summary>
public static class TaskMessages
{
    /// <summary>Druid's errorMsg for a task shut down through the API; the web console shows such tasks as CANCELED.</summary>
    public const string ShutdownRequestFromUser = "Shutdown request from user";

    /// <summary>For a task that was active when the previous overlord process ended (crash or kill).</summary>
    public const string OverlordRestarted = "Overlord restarted: the task was still active when the previous process stopped";

    /// <summary>For a task that was active when this overlord shut down cleanly.</summary>
    public const string OverlordShutdown = "Overlord shut down while the task was active; resubmit it to run again";
}
