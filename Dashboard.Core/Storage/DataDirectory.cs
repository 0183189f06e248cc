using Dashboard.Core.Overlord;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Storage;

/// <summary>
/// The one folder everything the server writes lives in. Held with an exclusive lock file for the life of the process,
/// so a second overlord pointed at the same folder refuses to start instead of failing the first one's tasks.
/// </summary>
public sealed class DataDirectory : IDisposable
{
    private readonly FileStream _lock;

    public DataDirectory(IOptions<OverlordOptions> options)
    {
        Root = options.Value.ResolveDataDir();
        Directory.CreateDirectory(Root);
        var lockPath = Path.Combine(Root, "overlord.lock");
        try
        {
            _lock = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            throw new InvalidOperationException(
                $"Another overlord process is using the data dir {Root} (it holds {lockPath}). Stop that process, or give this one its own Overlord:DataDir.");
        }

        _lock.SetLength(0);
        using var writer = new StreamWriter(_lock, leaveOpen: true);
        writer.Write(Environment.ProcessId);
    }

    public string Root { get; }

    /// <summary>
    /// The entries of the data dir that are the server's own and that no input may read: the metadata store (and its
    /// <c>-wal</c>/<c>-shm</c> files), the data-protection keys, task logs, segments, staging, task work files and the
    /// lock file. Whatever else a deployment puts in the data dir (e.g. an <c>input/</c> folder) may be read when an
    /// allowed folder holds it. A new file or folder the server writes here belongs in this list.
    /// </summary>
    public static IReadOnlyList<string> PrivateEntries { get; } = ["metadata.db", "keys", "task-logs", "segments", "staging", "task-work", "overlord.lock"];

    /// <summary>A path under the data dir; its parent folder exists.</summary>
    public string PathFor(params string[] parts)
    {
        var path = Path.Combine([Root, .. parts]);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    public void Dispose() => _lock.Dispose();
}
