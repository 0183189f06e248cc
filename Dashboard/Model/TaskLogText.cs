using System.Text;

namespace Dashboard.Model;

/// <summary>A task log's tail as the detail page shows it.</summary>
public static class TaskLogText
{
    /// <summary>How much of the log's end the Log tab shows (Druid's console reads the last 16,000 bytes).</summary>
    public const int TailBytes = 64 * 1024;

    /// <summary>Decodes a tail read at an arbitrary byte offset, dropping a partial first line when the tail was cut.</summary>
    public static string Decode(byte[] bytes, bool cut)
    {
        var text = Encoding.UTF8.GetString(bytes);
        if (cut && text.IndexOf('\n') is var newline and >= 0)
        {
            text = text[(newline + 1)..];
        }

        return text;
    }

    /// <summary>The full error of a FAILED task from the line the overlord writes when a task ends, if the log has it.</summary>
    public static string? FinalError(string log)
    {
        const string marker = "Task finished with status FAILED after ";
        var at = log.LastIndexOf(marker, StringComparison.Ordinal);
        if (at < 0)
        {
            return null;
        }

        var colon = log.IndexOf(": ", at, StringComparison.Ordinal);
        return colon < 0 ? null : log[(colon + 2)..].TrimEnd();
    }
}
