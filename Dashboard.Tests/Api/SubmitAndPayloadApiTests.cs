using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Dashboard.Tests.Api;

public class SubmitAndPayloadApiTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public async Task Submit_Noop_Returns200WithGeneratedDruidStyleId()
    {
        var response = await PostJsonAsync($"{V1}/task", """{"type":"noop","runTime":0,"dataSource":"wiki"}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!.GetValue<string>();
        Assert.Matches(new Regex(@"^noop_wiki_[a-p]{8}_\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), id);
        await WaitForStatusAsync(id, "SUCCESS");
    }

    [Fact]
    public async Task Submit_NonJsonContentType_Is415_WithJsonErrorSayingWhy()
    {
        var response = await Http.PostAsync($"{V1}/task", new StringContent("""{"type":"noop"}""", Encoding.UTF8, "text/plain"));
        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, "application/json", "Content-Type: application/json");
    }

    [Fact]
    public async Task Submit_UnparseableBody_Is500_WithJsonError()
    {
        var response = await PostJsonAsync($"{V1}/task", """{"type":"noop",""");
        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "application/json", "\"error\":\"The request body is not valid JSON");
    }

    [Fact]
    public async Task Submit_UnknownType_Is400_NamingTheType()
    {
        var response = await PostJsonAsync($"{V1}/task", """{"type":"index_hadoop"}""");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json",
            "Please make sure to load all the necessary extensions and jars with type 'index_hadoop'.");
    }

    [Fact]
    public async Task Submit_DuplicateId_Is400EntryAlreadyExists_InErrorResponseShape()
    {
        var id = Unique("dup");
        await SubmitAsync($$"""{"type":"noop","id":"{{id}}","runTime":0}""");

        var response = await PostJsonAsync($"{V1}/task", $$"""{"type":"noop","id":"{{id}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.Equal(["error", "errorCode", "persona", "category", "errorMessage", "context"], body.Select(p => p.Key));
        Assert.Equal("druidException", body["error"]!.GetValue<string>());
        Assert.Equal("entryAlreadyExists", body["errorCode"]!.GetValue<string>());
        Assert.Equal($"Task[{id}] already exists", body["errorMessage"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"noop","id":"a/b"}""", "Value [a/b] cannot contain '/'.")]
    [InlineData("""{"type":"noop","id":".x"}""", "cannot start with '.'")]
    [InlineData("""{"type":"noop","id":"a\tb"}""", "contains illegal whitespace characters")]
    public async Task Submit_InvalidId_Is400InvalidInput(string json, string message)
    {
        var response = await PostJsonAsync($"{V1}/task", json);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, "application/json", message);
        Assert.Contains("\"errorCode\":\"invalidInput\"", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("\"noop\"")]
    [InlineData("""{"type":"noop","runTime":"later"}""")]
    public async Task Submit_WrongShape_Is400_AndNothingIsQueued(string json)
    {
        var before = (await GetArrayAsync($"{V1}/tasks")).Count;
        var response = await PostJsonAsync($"{V1}/task", json);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
        Assert.Equal(before, (await GetArrayAsync($"{V1}/tasks")).Count);
    }

    [Fact]
    public async Task GetTask_ReturnsPayload_WithResourceAndContextDefaults()
    {
        var id = Unique("payload");
        await SubmitAsync("{\"type\":\"noop\",\"id\":\"" + id + "\",\"runTime\":0,\"unknownField\":1,\"context\":{\"priority\":5}}");

        var body = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}"))!;

        Assert.Equal(id, body["task"]!.GetValue<string>());
        var payload = body["payload"]!;
        Assert.Equal("noop", payload["type"]!.GetValue<string>());
        Assert.Equal(id, payload["groupId"]!.GetValue<string>());
        Assert.Equal(id, payload["resource"]!["availabilityGroup"]!.GetValue<string>());
        Assert.True(payload["context"]!["forceTimeChunkLock"]!.GetValue<bool>());
        Assert.True(payload["context"]!["useLineageBasedSegmentAllocation"]!.GetValue<bool>());
        Assert.Equal(5, payload["context"]!["priority"]!.GetValue<int>());
        Assert.Equal("none", payload["dataSource"]!.GetValue<string>());
        Assert.Null(payload["unknownField"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("/status")]
    [InlineData("/reports")]
    [InlineData("/log")]
    [InlineData("/segments")]
    public async Task TaskEndpoints_UnknownId_Are404PlainText(string suffix)
    {
        var response = await Http.GetAsync($"{V1}/task/no-such-task{suffix}");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "text/plain", "Cannot find any task with id: [no-such-task]");
    }

    [Fact]
    public async Task Shutdown_UnknownId_Is404PlainText()
    {
        var response = await PostJsonAsync($"{V1}/task/no-such-task/shutdown", "{}");
        await AssertErrorAsync(response, HttpStatusCode.NotFound, "text/plain", "Cannot find any task with id: [no-such-task]");
    }

    [Theory]
    [InlineData("status")]
    [InlineData("reports")]
    [InlineData("log")]
    public async Task TaskEndpoints_PathIdOver255CharactersOrWithNul_AreRefused(string suffix)
    {
        var tooLong = await Http.GetAsync($"{V1}/task/{new string('a', 300)}/{suffix}");
        await AssertErrorAsync(tooLong, HttpStatusCode.InternalServerError, "application/json", "is 300 characters long; at most 255 are allowed");

        // Kestrel itself refuses a NUL in the path (400, empty body) before the server sees the request.
        var nul = await Http.GetAsync($"{V1}/task/a%00b/{suffix}");
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
    }

    [Fact]
    public async Task TaskEndpoints_InvalidPathId_Are500WithTheValidationMessage()
    {
        var response = await Http.GetAsync($"{V1}/task/.hidden/status");
        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, "application/json", "cannot start with '.'");
    }

    [Fact]
    public async Task Status_OfCompleteTask_HasEveryField_EpochQueueTime_AndRunnerStateWaiting()
    {
        var id = Unique("status");
        await SubmitAsync($$"""{"type":"noop","id":"{{id}}","runTime":0,"dataSource":"wiki"}""");
        await WaitForStatusAsync(id, "SUCCESS");

        var body = JsonNode.Parse(await Http.GetStringAsync($"{V1}/task/{id}/status"))!;
        var status = body["status"]!.AsObject();

        Assert.Equal(id, body["task"]!.GetValue<string>());
        Assert.Equal(["id", "groupId", "type", "createdTime", "queueInsertionTime", "statusCode", "status", "runnerStatusCode", "duration", "location", "dataSource", "errorMsg"],
            status.Select(p => p.Key));
        Assert.Equal("1970-01-01T00:00:00.000Z", status["queueInsertionTime"]!.GetValue<string>());
        Assert.Equal("SUCCESS", status["status"]!.GetValue<string>());
        Assert.Equal("WAITING", status["runnerStatusCode"]!.GetValue<string>());
        Assert.True(status["duration"]!.GetValue<long>() >= 0);
        Assert.Null(status["errorMsg"]);
        Assert.True(status.ContainsKey("errorMsg"));
    }

    [Fact]
    public async Task Status_IdWithSpace_AsInTheDocsSample_Works()
    {
        var id = "query-52as " + Guid.NewGuid().ToString("N")[..8];
        await SubmitAsync($$"""{"type":"noop","id":"{{id}}","runTime":0}""");

        var response = await Http.GetAsync($"{V1}/task/{Uri.EscapeDataString(id)}/status");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}
