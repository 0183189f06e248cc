using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Core.Clients;
using Dashboard.Model;

namespace Dashboard.Tests.Components;

public sealed class StatusColourTests : ComponentTestBase
{
    [Theory]
    [InlineData("RUNNING", "status-running")]
    [InlineData("PENDING", "status-pending")]
    [InlineData("WAITING", "status-waiting")]
    [InlineData("SUCCESS", "status-success")]
    [InlineData("FAILED", "status-failed")]
    [InlineData("CANCELED", "status-canceled")]
    public void StatusBadge_CarriesTheClassOfItsStatus(string status, string cssClass)
    {
        var badge = Context.Render<StatusBadge>(p => p.Add(b => b.Status, status));

        Assert.Contains(cssClass, badge.Find("[data-testid=status-badge]").ClassList);
        Assert.Contains(status, badge.Markup);
    }

    /// <summary>RUNNING blue, PENDING amber, WAITING orange, SUCCESS green, FAILED red, CANCELED grey, in both themes.</summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StatusColours_HaveTheHuesTheIssueNames(bool dark)
    {
        var css = File.ReadAllText(Path.Combine(RepoRoot(), "Dashboard", "wwwroot", "app.css"));
        var block = dark
            ? css[css.IndexOf("html[data-theme=\"dark\"] {\n    --status-running", StringComparison.Ordinal)..]
            : css[css.IndexOf(":root {\n    --status-running", StringComparison.Ordinal)..];
        double Hue(string status, out double saturation)
        {
            var hex = Regex.Match(block, $@"--status-{status.ToLowerInvariant()}: #([0-9a-f]{{6}});").Groups[1].Value;
            var (r, g, b) = (Channel(hex, 0), Channel(hex, 2), Channel(hex, 4));
            double max = Math.Max(r, Math.Max(g, b)), min = Math.Min(r, Math.Min(g, b));
            saturation = max == 0 ? 0 : (max - min) / max;
            if (max == min) return 0;
            var h = max == r ? (g - b) / (max - min) : max == g ? 2 + (b - r) / (max - min) : 4 + (r - g) / (max - min);
            return (h * 60 + 360) % 360;
        }

        Assert.InRange(Hue(DisplayStatus.Running, out _), 200, 225);
        Assert.InRange(Hue(DisplayStatus.Pending, out _), 38, 50);
        Assert.InRange(Hue(DisplayStatus.Waiting, out _), 15, 32);
        Assert.InRange(Hue(DisplayStatus.Success, out _), 100, 140);
        var red = Hue(DisplayStatus.Failed, out _);
        Assert.True(red < 10 || red > 350, $"FAILED hue {red}");
        Hue(DisplayStatus.Canceled, out var greySaturation);
        Assert.True(greySaturation < 0.05, "CANCELED is grey");
        Assert.Equal("status-canceled", TaskStatusStyle.CssClass(DisplayStatus.Canceled));
    }

    private static double Channel(string hex, int at) => int.Parse(hex.AsSpan(at, 2), NumberStyles.HexNumber) / 255.0;

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir!.FullName;
    }
}
