using Dashboard.Core.Tasks;

namespace Dashboard.Core.Overlord;

/// <summary>This server's host and port, written into the location of the tasks it runs. The host sets it once listening.</summary>
public sealed class TaskLocationProvider
{
    private TaskLocation _current = new("localhost", 8888, -1);

    public TaskLocation Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>The leader URL as <c>GET /leader</c> returns it.</summary>
    public string LeaderUrl => Current.Port >= 0 ? $"http://{Current.Host}:{Current.Port}" : $"https://{Current.Host}:{Current.TlsPort}";
}
