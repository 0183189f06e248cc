using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Engine;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Overlord;
using Dashboard.Core.Storage;
using Dashboard.Tests.Support;
using Microsoft.Extensions.Options;

namespace Dashboard.Tests.Sampling;

/// <summary>The sampler under configured input rules (allowed hosts and folders), built as the server builds it.</summary>
public sealed class InputSamplerRulesTests : IDisposable
{
    private readonly TempDataDir _dir = new();
    private readonly DataDirectory _data;
    private readonly InputSampler _sampler;

    public InputSamplerRulesTests()
    {
        _data = new DataDirectory(Options.Create(new OverlordOptions { DataDir = _dir.Path }));
        var rules = new InputSourceRules(Options.Create(new IngestionOptions { AllowedBaseDirs = [_dir.Path], AllowedHttpHosts = ["data.example.com"] }), _data);
        var http = new HttpClient();
        var sessions = new DuckDbSessionFactory(new TaskBudget(new OverlordOptions(), new IngestionOptions(), physicalMemoryMiB: 8192), _data);
        _sampler = new InputSampler(new SampleInputReader(rules, new InputResolver(rules, http), http), sessions);
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
        _data.Dispose();
        _dir.Dispose();
    }
}
