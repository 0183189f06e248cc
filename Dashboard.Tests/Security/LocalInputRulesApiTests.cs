using System.Net;
using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Sampling;
using Dashboard.Tests.Api;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>
/// Local inputs are resolved and checked when submitted: a filter that names folders, a link out of the allowed folders
/// and the data dir's own files (metadata store, keys, task logs) are 400s naming the path and where it leads, and no
/// task is created. The default allowed folders are the working directory and the data dir.
/// </summary>
public sealed class LocalInputRulesApiTests(ApiServer server) : ApiTestBase(server), IDisposable
{
    private readonly string _folder = Directory.CreateDirectory(Path.Combine(server.Server.DataDir, "input", "rules-" + Guid.NewGuid().ToString("N")[..8])).FullName;

    [Theory]
    [InlineData("../../../etc/passwd")]
    [InlineData("**/../../x/*")]
    [InlineData("sub/*.json")]
    [InlineData("..")]
    public async Task Submit_FilterWithFoldersOrParent_Is400_NoTaskCreated(string filter)
    {
        var dataSource = Unique("filter");
        var source = new JsonObject { ["type"] = "local", ["baseDir"] = _folder, ["filter"] = filter };

        var error = await RefusedAsync(dataSource, source);

        Assert.Equal($"Local input filter [{filter}] may not contain a path separator or '..': Druid's filter is a file-name wildcard (* and ?) " +
            "matched in baseDir and its subfolders. Put the folder in baseDir and only the file-name pattern in filter.", error);
    }

    [Fact]
    public async Task Submit_FileLinkPointingOutside_Is400NamingLinkAndTarget_NoTaskCreated()
    {
        var link = Path.Combine(_folder, "passwd.json");
        File.CreateSymbolicLink(link, "/etc/passwd");

        var error = await RefusedAsync(Unique("link"), IngestionHelpers.LocalFiles(link));

        Assert.StartsWith($"Local input path [{link}] resolves to [/etc/passwd], which is outside the folders ingestion may read", error);
    }

    [Fact]
    public async Task Submit_FolderLinkPointingOutside_Is400_ForFilesAndForBaseDir()
    {
        var link = Path.Combine(_folder, "etc");
        Directory.CreateSymbolicLink(link, "/etc");

        var viaFile = await RefusedAsync(Unique("dirlink"), IngestionHelpers.LocalFiles(Path.Combine(link, "passwd")));
        var viaBaseDir = await RefusedAsync(Unique("dirlink"), new JsonObject { ["type"] = "local", ["baseDir"] = link, ["filter"] = "passwd" });

        Assert.StartsWith($"Local input path [{link}/passwd] resolves to [/etc/passwd], which is outside the folders", viaFile);
        Assert.StartsWith($"Local input path [{link}] resolves to [/etc], which is outside the folders", viaBaseDir);
    }

    [Fact]
    public async Task Submit_BaseDirMatchingALinkThatPointsOutside_Is400NamingTheMatchedFile()
    {
        IngestionHelpers.WriteLines(Path.Combine(_folder, "a.json"), ["{\"time\":\"2015-09-12T00:00:00Z\"}"]);
        var link = Path.Combine(_folder, "b.json");
        File.CreateSymbolicLink(link, "/etc/hostname");

        var error = await RefusedAsync(Unique("matched"), new JsonObject { ["type"] = "local", ["baseDir"] = _folder, ["filter"] = "*.json" });

        Assert.StartsWith($"Local input path [{link}] resolves to [/etc/hostname], which is outside the folders", error);
    }

    [Fact]
    public async Task Submit_BaseDirWithALinkToItself_ReadsEachFileOnce()
    {
        IngestionHelpers.WriteLines(Path.Combine(_folder, "a.json"), ["{\"time\":\"2015-09-12T00:00:00Z\",\"n\":1}"]);
        Directory.CreateSymbolicLink(Path.Combine(_folder, "again"), _folder);

        var id = await SubmitAsync(IngestionHelpers.IndexTask(Unique("loop"), new JsonObject { ["type"] = "local", ["baseDir"] = _folder, ["filter"] = "*.json" }, IngestionHelpers.Json()));
        var status = await WaitForStatusAsync(id, "SUCCESS");

        var report = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/reports"))!;
        Assert.Equal(1, IngestionHelpers.At(report, "ingestionStatsAndErrors.payload.rowStats.buildSegments.processed")!.GetValue<long>());
        Assert.Equal("SUCCESS", status["statusCode"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("metadata.db")]
    [InlineData("keys")]
    [InlineData("task-logs")]
    public async Task Submit_PathIntoTheDataDirsOwnFiles_Is400_ForFilesBaseDirAndLinks(string entry)
    {
        var path = Path.Combine(Server.DataDir, entry);
        var link = Path.Combine(_folder, "innocent.json");
        File.CreateSymbolicLink(link, path);

        var viaFile = await RefusedAsync(Unique("private"), IngestionHelpers.LocalFiles(path));
        var viaBaseDir = await RefusedAsync(Unique("private"), new JsonObject { ["type"] = "local", ["baseDir"] = path, ["filter"] = "*" });
        var viaLink = await RefusedAsync(Unique("private"), IngestionHelpers.LocalFiles(link));

        var rule = $"which is the server's own [{entry}] in the data dir {Server.DataDir} (metadata store, keys, task logs, segments, staging and task files); " +
            $"ingestion never reads them. Put input files in a folder of their own (e.g. {Path.Combine(Server.DataDir, "input")}).";
        Assert.Equal($"Local input path [{path}] resolves to [{path}], {rule}", viaFile);
        Assert.Equal($"Local input path [{path}] resolves to [{path}], {rule}", viaBaseDir);
        Assert.Equal($"Local input path [{link}] resolves to [{path}], {rule}", viaLink);
    }

    [Fact]
    public async Task BaseDirOfTheWholeDataDir_MatchingTheMetadataStore_Is400()
    {
        var error = await RefusedAsync(Unique("whole"), new JsonObject { ["type"] = "local", ["baseDir"] = Server.DataDir, ["filter"] = "metadata.db*" });

        Assert.StartsWith($"Local input path [{Path.Combine(Server.DataDir, "metadata.db")}] resolves to", error);
        Assert.Contains("the server's own [metadata.db]", error);
    }

    [Fact]
    public async Task ExternAndSampler_MetadataStore_Are400()
    {
        var path = Path.Combine(Server.DataDir, "metadata.db");
        var dataSource = Unique("extern_private");
        var sql = $$"""INSERT INTO {{dataSource}} SELECT TIME_PARSE("time") AS __time FROM TABLE(EXTERN('{"type":"local","files":["{{path}}"]}', '{"type":"json"}')) EXTEND ("time" VARCHAR) PARTITIONED BY DAY""";

        var extern_ = await PostJsonAsync("/druid/v2/sql/task", new JsonObject { ["query"] = sql }.ToJsonString());
        var sampler = await PostJsonAsync($"{V1}/sampler", SamplerSpec.Request(IngestionHelpers.LocalFiles(path), null).ToJsonString());

        await AssertErrorAsync(extern_, HttpStatusCode.BadRequest, "application/json", "the server's own [metadata.db]");
        await AssertErrorAsync(sampler, HttpStatusCode.BadRequest, "application/json", "the server's own [metadata.db]");
        Assert.Empty(await GetArrayAsync($"{V1}/tasks?datasource={dataSource}"));
    }

    /// <summary>Submits an index_parallel task reading <paramref name="source"/>; asserts a 400 and that no task exists; returns the message.</summary>
    private async Task<string> RefusedAsync(string dataSource, JsonObject source)
    {
        var response = await PostJsonAsync($"{V1}/task", IngestionHelpers.IndexTask(dataSource, source, IngestionHelpers.Json()));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Empty(await GetArrayAsync($"{V1}/tasks?datasource={dataSource}"));
        return JsonNode.Parse(body)!["error"]!.GetValue<string>();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
