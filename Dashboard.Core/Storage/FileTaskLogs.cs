using System.Text;
using System.Threading.Channels;
using Dashboard.Core.Common;
using Dashboard.Core.Feed;
using Dashboard.Core.Security;
using Microsoft.Extensions.Logging;

namespace Dashboard.Core.Storage;

/// <summary>
/// One log file per task under <c>&lt;DataDir&gt;/task-logs</c>. Appends are queued and written by one background
/// writer (so the task queue never waits on disk while it holds its lock); reads flush the queue first. Once lines are
/// on disk, a <see cref="TaskLogAppended"/> event per task tells live log viewers to read the new tail.
/// </summary>
public sealed class FileTaskLogs : IAsyncDisposable
{
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly ILogger<FileTaskLogs> _logger;
    private readonly TaskFeed? _feed;
    private readonly Channel<LogItem> _items = Channel.CreateUnbounded<LogItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public FileTaskLogs(DataDirectory dataDirectory, TimeProvider time, ILogger<FileTaskLogs> logger, TaskFeed? feed = null)
    {
        _feed = feed;
        _root = Path.GetDirectoryName(dataDirectory.PathFor("task-logs", "x"))!;
        _time = time;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a line: <c>2026-11-22T16:52:00.123Z INFO message</c>, with any secret in the message masked.</summary>
    public void Append(string taskId, string message, string level = "INFO") =>
        _items.Writer.TryWrite(new LogItem(taskId, $"{DruidTime.Format(_time.GetUtcNow())} {level} {SecretMasker.MaskText(message)}\n", null));

    /// <summary>Completes when every line queued before the call is on disk.</summary>
    public Task FlushAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _items.Writer.TryWrite(new LogItem(null, null, done)) ? done.Task : Task.CompletedTask;
    }

    /// <summary>
    /// The log from byte <paramref name="offset"/> on; a negative offset returns the last |offset| bytes (Druid's tail).
    /// Null when the task has no log.
    /// </summary>
    public async Task<byte[]?> ReadAsync(string taskId, long offset, CancellationToken cancellationToken)
    {
        await FlushAsync().WaitAsync(cancellationToken);
        var path = PathFor(taskId);
        if (!File.Exists(path))
        {
            return null;
        }

        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var start = offset >= 0 ? Math.Min(offset, stream.Length) : Math.Max(0, stream.Length + offset);
        stream.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[stream.Length - start];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }

    public string PathFor(string taskId)
    {
        // Ids may hold characters that are awkward in file names; escape them, and fall back to a hash for very long ids.
        var name = Uri.EscapeDataString(taskId);
        if (Encoding.UTF8.GetByteCount(name) > 200)
        {
            name = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(taskId)));
        }

        return Path.Combine(_root, name + ".log");
    }

    private async Task RunAsync()
    {
        var pending = new Dictionary<string, StringBuilder>(StringComparer.Ordinal);
        var flushes = new List<TaskCompletionSource>();
        while (await _items.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (_items.Reader.TryRead(out var item))
            {
                if (item.Flush is { } flush)
                {
                    flushes.Add(flush);
                }
                else if (item.TaskId is { } id)
                {
                    if (!pending.TryGetValue(id, out var text))
                    {
                        pending[id] = text = new StringBuilder();
                    }

                    text.Append(item.Line);
                }
            }

            foreach (var (taskId, text) in pending)
            {
                try
                {
                    await File.AppendAllTextAsync(PathFor(taskId), text.ToString()).ConfigureAwait(false);
                    _feed?.Publish(new TaskLogAppended(taskId));
                }
                catch (IOException ex)
                {
                    _logger.LogError(ex, "Could not write the log of task {TaskId} to {Path}.", taskId, PathFor(taskId));
                }
            }

            pending.Clear();
            flushes.ForEach(f => f.TrySetResult());
            flushes.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _items.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private readonly record struct LogItem(string? TaskId, string? Line, TaskCompletionSource? Flush);
}
