namespace Dashboard.Tests.Support;

/// <summary>A fresh data dir per test, removed afterwards.</summary>
public sealed class TempDataDir : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "overlord-tests", Guid.NewGuid().ToString("N"));

    public TempDataDir() => Directory.CreateDirectory(Path);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
