using Microsoft.Playwright;

namespace Dashboard.E2E.Infrastructure;

/// <summary>
/// Saves screenshots as PNG files: into $ARTIFACTS_DIR/screenshots when ARTIFACTS_DIR is set (scripts/test.sh
/// sets it to the repository's artifacts/ folder), otherwise into e2e/TestResults/screenshots.
/// </summary>
public static class Screenshots
{
    public static string Directory { get; } = ResolveDirectory();

    public static async Task<string> SaveAsync(IPage page, string name)
    {
        System.IO.Directory.CreateDirectory(Directory);
        var path = Path.Combine(Directory, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Animations = ScreenshotAnimations.Disabled });
        return path;
    }

    private static string ResolveDirectory()
    {
        var artifacts = Environment.GetEnvironmentVariable("ARTIFACTS_DIR");
        if (!string.IsNullOrWhiteSpace(artifacts))
        {
            return Path.Combine(Path.GetFullPath(artifacts), "screenshots");
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dashboard.E2E.csproj")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", "screenshots");
    }
}
