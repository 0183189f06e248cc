using System.Diagnostics;
using Dashboard.Security;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>
/// The real server process: bound to a non-loopback address with no users it refuses to start with one clear line and a
/// nonzero exit; with <c>Security:AllowAnonymous=true</c> (or users) it starts.
/// </summary>
public sealed class StartupGuardTests
{
    private const string Refusal = "Refusing to start: listening on http://0.0.0.0:";

    private static Process Start(string dataDir, params (string Key, string Value)[] environment)
    {
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://0.0.0.0:{HostedServer.FreePort()}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["Overlord__DataDir"] = dataDir;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task NonLoopbackWithoutUsers_RefusesToStart_WithOneClearLine()
    {
        using var dir = new TempDataDir();
        using var process = Start(dir.Path);
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        var text = await output + await errors;
        Assert.Equal(1, process.ExitCode);
        Assert.Single(text.Split('\n'), line => line.Contains("Refusing to start"));
        Assert.Contains(Refusal, text);
        Assert.Contains("with no users configured. Add Security:Users or set Security:AllowAnonymous=true.", text);
        Assert.DoesNotContain("Unhandled exception", text);
    }

    [Fact]
    public async Task InvalidUsers_RefuseToStart_NamingTheKey()
    {
        using var dir = new TempDataDir();
        using var process = Start(dir.Path, ("Security__Users__0__Name", "admin"), ("Security__Users__0__Password", "admin-password-1"),
            ("Security__Users__0__Role", "Superuser"));
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        var text = await output + await errors;
        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Refusing to start: Security:Users:0 (admin) has the unknown role [Superuser]: use Viewer, Operator or Admin.", text);
        Assert.DoesNotContain("admin-password-1", text);
        Assert.DoesNotContain("Unhandled exception", text);
    }

    [Theory]
    [InlineData("Security__AllowAnonymous", "true")]
    [InlineData("Security__Users__0__Name", "admin")]
    public async Task NonLoopback_StartsWithAllowAnonymousOrUsers(string key, string value)
    {
        using var dir = new TempDataDir();
        using var process = key.Contains("Users")
            ? Start(dir.Path, (key, value), ("Security__Users__0__Password", "admin-password-1"), ("Security__Users__0__Role", "Admin"))
            : Start(dir.Path, (key, value));
        var lines = new List<string>();
        var started = new TaskCompletionSource();
        process.OutputDataReceived += (_, e) =>
        {
            lock (lines)
            {
                lines.Add(e.Data ?? "");
            }

            if (e.Data?.Contains("Application started") == true)
            {
                started.TrySetResult();
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(60));
            Assert.False(process.HasExited);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        lock (lines)
        {
            Assert.DoesNotContain(lines, l => l.Contains("Refusing to start"));
        }
    }

    [Theory]
    [InlineData("http://localhost:8888", true)]
    [InlineData("http://127.0.0.1:0", true)]
    [InlineData("http://[::1]:8888", true)]
    [InlineData("http://0.0.0.0:8888", false)]
    [InlineData("http://*:8888", false)]
    [InlineData("http://+:8888", false)]
    [InlineData("http://[::]:8888", false)]
    [InlineData("https://overlord.example.com", false)]
    public void Loopback_IsRecognised(string url, bool loopback) => Assert.Equal(loopback, StartupGuard.IsLoopback(url));
}
