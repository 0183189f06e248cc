using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;

namespace Dashboard.Bench;

/// <summary>The real server, started as its own process from the Release build, so its memory is measured alone.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The server's process id (the <c>dotnet</c> host runs the app in-process).</summary>
    public int Pid => _process.Id;

    /// <summary>Lines the server writes to standard output (its console log).</summary>
    public event Action<string>? Output;

    public static async Task<ServerProcess> StartAsync(string dataDir, params string[] extraArgs)
    {
        var dll = Path.Combine(RepoRoot(), "Dashboard", "bin", "Release", "net10.0", "linux-x64", "Dashboard.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the server first: dotnet build -c Release Dashboard (looked for {dll}).");
        }

        var port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dataDir };
        foreach (var arg in new[] { dll, "--urls", $"http://127.0.0.1:{port}", "--Overlord:DataDir", dataDir, "--Logging:LogLevel:Default", "Warning" }.Concat(extraArgs))
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) server.Output?.Invoke(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"  server: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync("/status/health")).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("The server did not answer /status/health within 60 s.");
    }

    /// <summary>Peak resident memory of the server process (VmHWM), in MiB.</summary>
    public double PeakMemoryMiB() => StatusMiB("VmHWM:");

    /// <summary>Resident memory of the server process now (VmRSS), in MiB.</summary>
    public double CurrentMemoryMiB() => StatusMiB("VmRSS:");

    private double StatusMiB(string field)
    {
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
            }
        }

        return double.NaN;
    }

    /// <summary>Ends the server as a crash does: SIGKILL, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Stops the server as an operator's <c>kill</c> or systemd does: SIGTERM, then waits for the graceful shutdown.</summary>
    public async Task TerminateAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString()]))!)
        {
            await kill.WaitForExitAsync();
        }

        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);
    }

    /// <summary>Polls the task's status every 5 ms until SUCCESS; a FAILED task throws with its error.</summary>
    public static async Task WaitForSuccessAsync(HttpClient http, string taskId, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            var status = (await http.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{Uri.EscapeDataString(taskId)}/status", cancellationToken))!["status"]!;
            switch (status["statusCode"]!.GetValue<string>())
            {
                case "SUCCESS":
                    return;
                case "FAILED":
                    throw new InvalidOperationException($"Task {taskId} failed: {status["errorMsg"]}");
            }

            await Task.Delay(5, cancellationToken);
        }
    }

    /// <summary>The team's shared folder (data/, reference/): <c>SHARED_DIR</c> when set, else beside the repo.</summary>
    public static string SharedDir() =>
        Environment.GetEnvironmentVariable("SHARED_DIR") is { Length: > 0 } dir ? dir : Path.GetFullPath(Path.Combine(RepoRoot(), "..", "shared"));

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("Run the bench from inside the repository.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private bool _disposed;

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
