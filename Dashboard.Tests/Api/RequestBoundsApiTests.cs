using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Tests.Api;

/// <summary>Input bounds at the door: ids, datasource names, time parameters and body sizes are refused before any task exists.</summary>
public class RequestBoundsApiTests(ApiServer server) : ApiTestBase(server)
{
    private const long Limit = 16 * 1024 * 1024; // Overlord:MaxRequestBodyBytes' default

    [Theory]
    [InlineData("/druid/indexer/v1/task", """{"type":"noop","dataSource":"dupkey","spec":{"a":1,"a":2}}""", "a")]
    [InlineData("/druid/v2/sql/task", """{"query":"SELECT 1","query":"SELECT 2"}""", "query")]
    [InlineData("/druid/indexer/v1/sampler", """{"type":"index_parallel","spec":{"ioConfig":{"type":"index_parallel","type":"x"}}}""", "type")]
    [InlineData("/druid/indexer/v1/taskStatus", """[{"id":"a","id":"b"}]""", "id")]
    [InlineData("/druid-ext/basic-security/authentication/db/basic/users/dupkey", """{"password":"a-long-password","password":"another-one"}""", "password")]
    public async Task AnyJsonBody_WithDuplicateKey_Is400NamingTheKey(string path, string body, string key)
    {
        var response = await PostJsonAsync(path, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains($"Duplicate field '{key}'", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Submit_TaskIdOver255Characters_Is400_AndCreatesNothing()
    {
        var ds = Unique("longid");
        var response = await PostJsonAsync($"{V1}/task", $$"""{"type":"noop","id":"{{new string('a', 10_000)}}","dataSource":"{{ds}}"}""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "is 10000 characters long; at most 255 are allowed");
        await AssertNoTaskOfAsync(ds);
    }

    [Fact]
    public async Task Submit_TaskIdWithNul_Is400_AndCreatesNothing()
    {
        var ds = Unique("nulid");
        var response = await PostJsonAsync($"{V1}/task", $$"""{"type":"noop","id":"a\u0000b","dataSource":"{{ds}}"}""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "illegal UTF8 character [#0] at position [1]");
        await AssertNoTaskOfAsync(ds);
    }

    [Theory]
    [InlineData("..", "cannot start with '.'")]
    [InlineData("a/b", "cannot contain '/'")]
    [InlineData("a\\tb", "contains illegal whitespace characters")]
    [InlineData("", "must not be null")]
    public async Task Submit_NoopWithInvalidDataSource_Is400_AndCreatesNothing(string dataSource, string expected)
    {
        var id = Unique("badds");
        var response = await PostJsonAsync($"{V1}/task", $$"""{"type":"noop","id":"{{id}}","dataSource":"{{dataSource}}"}""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", expected);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"{V1}/task/{id}/status")).StatusCode);
    }

    [Theory]
    [InlineData("/druid/coordinator/v1/datasources/.hidden")]
    [InlineData("/druid/indexer/v1/tasks?datasource=.hidden")]
    [InlineData("/druid/indexer/v1/tasks?datasource=a%00b")]
    public async Task Get_InvalidDataSourceInPathOrQuery_Is400NamingTheRule(string path)
    {
        var response = await Http.GetAsync(path);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "Invalid value for field [");
    }

    [Fact]
    public async Task ShutdownAllTasks_InvalidDataSource_Is400()
    {
        var response = await Http.PostAsync($"{V1}/datasources/.hidden/shutdownAllTasks", null);

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "Value [.hidden] cannot start with '.'");
    }

    [Fact]
    public async Task TaskStatus_BodyWithInvalidId_Is400NamingIt()
    {
        var response = await PostJsonAsync($"{V1}/taskStatus", """["ok_id","a\u0000b"]""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "Invalid value for field [taskId]");
    }

    [Fact]
    public async Task SqlTask_InvalidTargetDataSource_Is400_AndCreatesNothing()
    {
        var response = await PostJsonAsync("/druid/v2/sql/task", """{"query":"INSERT INTO \".hidden\" SELECT TIMESTAMP '2015-09-12' AS __time, 1 AS x PARTITIONED BY DAY"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("cannot start with '.'", await response.Content.ReadAsStringAsync());
        await AssertNoTaskOfAsync(".hidden");
    }

    [Theory]
    [InlineData("P1000000Y/2026-01-01")]
    [InlineData("2026-01-01/10000-01-01")]
    [InlineData("2026-01-01_P9000Y")]
    [InlineData("P99999999999Y/2026-01-01")]
    public async Task TaskList_CreatedTimeIntervalOutOfRange_Is400NamingParameterAndValue(string interval)
    {
        var response = await Http.GetAsync($"{V1}/tasks?createdTimeInterval={Uri.EscapeDataString(interval)}");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", $"Invalid createdTimeInterval [{interval}]");
    }

    [Fact]
    public async Task PendingSegments_IntervalOutOfRange_Is400NamingParameterAndValue()
    {
        var response = await Http.DeleteAsync($"{V1}/pendingSegments/wiki?interval=P1000000Y/2026-01-01");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "Invalid interval [P1000000Y/2026-01-01]");
    }

    [Fact]
    public async Task Submit_SpecIntervalOutOfRange_Is400NamingFieldAndValue_AndCreatesNothing()
    {
        var ds = Unique("farinterval");
        var response = await PostJsonAsync($"{V1}/task", $$"""{"type":"noop","dataSource":"{{ds}}","interval":"2026-01-01/P20000Y"}""");

        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", "Invalid interval [2026-01-01/P20000Y]");
        await AssertNoTaskOfAsync(ds);
    }

    [Fact]
    public async Task SqlTask_OverwriteWhereLiteralOutOfRange_Is400_AndCreatesNothing()
    {
        var ds = Unique("faroverwrite");
        var response = await PostJsonAsync("/druid/v2/sql/task", $$"""
            {"query":"REPLACE INTO \"{{ds}}\" OVERWRITE WHERE __time >= TIMESTAMP '10000-01-01' SELECT TIMESTAMP '2015-09-12' AS __time, 1 AS x PARTITIONED BY DAY"}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("10000-01-01", await response.Content.ReadAsStringAsync());
        await AssertNoTaskOfAsync(ds);
    }

    [Fact]
    public async Task Submit_BodyOverLimitWithContentLength_Is413NamingTheLimit_AndCreatesNothing()
    {
        var ds = Unique("bigbody");
        var response = await PostJsonAsync($"{V1}/task", Padded($$"""{"type":"noop","dataSource":"{{ds}}"}""", Limit + 1));

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "application/json", $"over the limit of {Limit} bytes (Overlord:MaxRequestBodyBytes)");
        await AssertNoTaskOfAsync(ds);
    }

    [Fact]
    public async Task Submit_ChunkedBodyGrowingPastLimit_Is413NamingTheLimit_AndCreatesNothing()
    {
        var ds = Unique("bigchunks");
        var content = new PushStreamContent(Encoding.UTF8.GetBytes(Padded($$"""{"type":"noop","dataSource":"{{ds}}"}""", Limit + 1))).WithJsonType();
        var response = await Http.PostAsync($"{V1}/task", content);

        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "application/json", $"over the limit of {Limit} bytes (Overlord:MaxRequestBodyBytes)");
        await AssertNoTaskOfAsync(ds);
    }

    [Fact]
    public async Task Submit_BodyJustUnderLimit_IsAccepted()
    {
        var id = await SubmitAsync(Padded($$"""{"type":"noop","runTime":0,"dataSource":"{{Unique("nearlimit")}}"}""", Limit - 16));

        await WaitForStatusAsync(id, "SUCCESS");
    }

    /// <summary>The JSON with spaces before its closing brace, to <paramref name="bytes"/> bytes in all.</summary>
    private static string Padded(string json, long bytes) => json[..^1] + new string(' ', (int)(bytes - json.Length)) + "}";

    private async Task AssertNoTaskOfAsync(string dataSource)
    {
        var tasks = (await Http.GetFromJsonAsync<JsonArray>($"{V1}/tasks"))!;
        Assert.DoesNotContain(tasks, t => t?["dataSource"]?.GetValue<string>() == dataSource);
    }

    /// <summary>A body without Content-Length: sent chunked, in 64 KiB pieces.</summary>
    private sealed class PushStreamContent(byte[] bytes) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 65536)
            {
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(65536, bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }

        public PushStreamContent WithJsonType()
        {
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            return this;
        }
    }
}
