using System.Diagnostics;
using System.Text;

namespace Dashboard.Tests.Support;

/// <summary>
/// The server started the README's way, as a child process from the repository root:
/// <c>dotnet run --project Dashboard --no-build -- --urls http://127.0.0.1:PORT --Overlord:DataDir DIR</c>, with no
/// ASPNETCORE_ENVIRONMENT (or DOTNET_ENVIRONMENT) in its environment, so it runs as a user's does.
/// </summary>
public sealed class ReadmeServer : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private readonly StringBuilder _output = new();
    private Process? _process;

    public HttpClient Client { get; private set; } = null!;

    public string DataDir => _dir.Path;

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var port = HostedServer.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = IngestionHelpers.FindRepoRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--project", "Dashboard", "--no-build", "--", "--urls", $"http://127.0.0.1:{port}", "--Overlord:DataDir", _dir.Path })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (true)
        {
            try
            {
                if ((await Client.GetAsync("/status/health")).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
            }

            if (DateTime.UtcNow >= deadline || _process.HasExited)
            {
                throw new InvalidOperationException($"The server did not start the README's way:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _dir.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
