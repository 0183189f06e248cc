using System.Text.Json.Nodes;

namespace Dashboard.Core.Msq.Execution;

/// <summary>Druid's <c>channel</c> counter snapshot (rows, bytes, frames, files per partition), zeros omitted as Druid does.</summary>
public static class MsqChannelCounters
{
    public static JsonObject Channel(long rows, long bytes = 0, long frames = 0, long files = 0, long totalFiles = 0)
    {
        var json = new JsonObject { ["type"] = "channel", ["rows"] = new JsonArray(rows) };
        if (bytes > 0)
        {
            json["bytes"] = new JsonArray(bytes);
        }

        if (frames > 0)
        {
            json["frames"] = new JsonArray(frames);
        }

        if (files > 0)
        {
            json["files"] = new JsonArray(files);
        }

        if (totalFiles > 0)
        {
            json["totalFiles"] = new JsonArray(totalFiles);
        }

        return json;
    }
}
