using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Sampling;

/// <summary>The sampler under configured input rules (allowed hosts and folders), built as the server builds it.</summary>
public sealed class InputSamplerRulesTests : IDisposable
{
    private readonly TempDataDir _dir = new();
    private readonly ServiceProvider _services;
    private readonly InputSampler _sampler;

    public InputSamplerRulesTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Overlord:DataDir"] = _dir.Path,
            ["Ingestion:AllowedBaseDirs:0"] = _dir.Path,
            ["Ingestion:AllowedHttpHosts:0"] = "data.example.com",
        }).Build();
        _services = new ServiceCollection().AddLogging().AddEmbeddedOverlord(configuration).BuildServiceProvider();
        _sampler = _services.GetRequiredService<InputSampler>();
    }

    private Task<SamplerResponse> SampleAsync(JsonObject source) => _sampler.SampleAsync(SamplerSpec.Parse(SamplerSpec.Request(source, null)), CancellationToken.None);

    [Fact]
    public async Task HostNotAllowed_Is400NamingTheHostAndTheSetting()
    {
        using var server = new TestHttpServer();
        var url = server.Serve("x.json", "{\"a\":1}\n"u8.ToArray());

        var error = await Assert.ThrowsAsync<DruidException>(() => SampleAsync(new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(url) }));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("[127.0.0.1] is not in Ingestion:AllowedHttpHosts [data.example.com]", error.Message);
    }

    [Fact]
    public async Task FolderNotAllowed_ListsTheConfiguredFolder()
    {
        var error = await Assert.ThrowsAsync<DruidException>(() => SampleAsync(new JsonObject { ["type"] = "local", ["baseDir"] = "/tmp", ["filter"] = "*.json" }));

        Assert.Contains($"outside the folders ingestion may read ({_dir.Path})", error.Message);
    }

    [Fact]
    public async Task InlineThatLooksLikeParquet_Is400_NotACrash()
    {
        var error = await Assert.ThrowsAsync<DruidException>(() => SampleAsync(new JsonObject { ["type"] = "inline", ["data"] = "PAR1 not really" }));

        Assert.Equal(400, error.StatusCode);
        Assert.Contains("Parquet", error.Message);
    }

    [Fact]
    public async Task GzipWithoutGzName_IsDecompressedByItsMagicBytes()
    {
        var file = IngestionHelpers.WriteLines(Path.Combine(_dir.Path, "in", "events.data"), ["a\tb", "1\t2", "3\t4"], gzip: true);

        var sample = await SampleAsync(new JsonObject { ["type"] = "local", ["files"] = new JsonArray(file) });

        Assert.Equal("""{"type":"tsv","findColumnsFromHeader":true}""", sample.InputFormat!.ToJsonString());
        Assert.Equal(2, sample.NumRowsRead);
        Assert.Equal(Encoding.UTF8.GetByteCount("a\tb\n1\t2\n3\t4\n"), sample.BytesRead);
    }

    public void Dispose()
    {
        _services.Dispose();
        _dir.Dispose();
    }
}
