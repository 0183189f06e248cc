using System.Text.Json.Nodes;

namespace Dashboard.Core.Tasks;

/// <summary>A task whose report should say how it ended when a user shuts it down (an MSQ query reports Canceled).</summary>
public interface IShutdownReport
{
    JsonObject ShutdownReport();
}
