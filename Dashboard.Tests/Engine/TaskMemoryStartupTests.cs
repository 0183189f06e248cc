using System.Diagnostics;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Engine;

/// <summary>The real server process refuses to start when its task slots together could use more memory than the machine has.</summary>
public sealed class TaskMemoryStartupTests
{
    [Fact]
    public async Task TaskMemoryTimesSlotsOverThePhysicalMemory_RefusesToStart_WithOneLineNamingBothNumbers()
    {
        using var dir = new TempDataDir();
        var dll = typeof(Program).Assembly.Location;
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{HostedServer.FreePort()}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.Environment["Overlord__DataDir"] = dir.Path;
        start.Environment["Overlord__TaskMemory"] = "100000000";
        start.Environment["Overlord__WorkerCapacity"] = "3";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);

        var text = await output + await errors;
        Assert.Equal(1, process.ExitCode);
        var line = Assert.Single(text.Split('\n'), l => l.Contains("Refusing to start"));
        Assert.Contains("Overlord:TaskMemory (100,000,000 MiB) x Overlord:WorkerCapacity (3) = 300,000,000 MiB is more than this machine's physical memory (", line);
        Assert.DoesNotContain("Unhandled exception", text);
    }
}
