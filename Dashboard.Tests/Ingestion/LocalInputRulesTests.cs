using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Ingestion;

/// <summary>How a local input path is resolved before it is checked: every link on the way, relative or not.</summary>
public sealed class LocalInputRulesTests : IDisposable
{
    private readonly TempDataDir _dir = new();

    private string At(params string[] parts) => Path.Combine([_dir.Path, .. parts]);

    [Fact]
    public void RealPath_RelativeLinksInFoldersAndFiles_ResolveToTheFinalTarget()
    {
        Directory.CreateDirectory(At("real", "deep"));
        File.WriteAllText(At("real", "deep", "data.json"), "{}");
        Directory.CreateSymbolicLink(At("folder-link"), "real");
        File.CreateSymbolicLink(At("real", "file-link.json"), "deep/data.json");
        File.CreateSymbolicLink(At("chain.json"), "folder-link/file-link.json");

        Assert.Equal(At("real", "deep", "data.json"), LocalInputRules.RealPath(At("chain.json")));
        Assert.Equal(At("real", "deep", "data.json"), LocalInputRules.RealPath(At("folder-link", "deep", "..", "deep", "data.json")));
    }

    [Fact]
    public void RealPath_MissingTail_IsKeptAsWritten_AfterTheLinkBeforeIt()
    {
        Directory.CreateDirectory(At("real"));
        Directory.CreateSymbolicLink(At("link"), At("real"));

        Assert.Equal(At("real", "not-yet", "x.json"), LocalInputRules.RealPath(At("link", "not-yet", "x.json")));
    }

    [Fact]
    public void RealPath_LinkLoop_Is400()
    {
        File.CreateSymbolicLink(At("a"), At("b"));
        File.CreateSymbolicLink(At("b"), At("a"));

        var error = Assert.Throws<DruidException>(() => LocalInputRules.RealPath(At("a")));

        Assert.Equal(400, error.StatusCode);
        Assert.Equal($"Local input path [{At("a")}] goes through more than 40 symbolic links.", error.Message);
    }

    [Theory]
    [InlineData("*.json")]
    [InlineData("wiki?-2015-*.json.gz")]
    [InlineData(null)]
    public void CheckFilter_FileNameWildcard_IsAccepted(string? filter) => LocalInputRules.CheckFilter(filter);

    public void Dispose() => _dir.Dispose();
}
