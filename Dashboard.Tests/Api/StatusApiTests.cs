using System.Net;
using System.Text.Json.Nodes;

namespace Dashboard.Tests.Api;

public class StatusApiTests(ApiServer server) : ApiTestBase(server)
{
    [Fact]
    public async Task Health_AnswersTrue()
    {
        var response = await Http.GetAsync("/status/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Status_HasVersionAndMemory()
    {
        var status = JsonNode.Parse(await Http.GetStringAsync("/status"))!;
        Assert.False(string.IsNullOrEmpty(status["version"]!.GetValue<string>()));
        Assert.True(status["memory"]!["usedMemory"]!.GetValue<long>() > 0);
    }

    [Fact]
    public async Task Server_ListensOnRealSocket_AndTasksReportThatLocation()
    {
        using var plain = new HttpClient { BaseAddress = Server.BaseAddress };
        Assert.Equal("true", await plain.GetStringAsync("/status/health"));
        var id = await SubmitAsync("""{"type":"noop","runTime":0}""");
        var status = await WaitForStatusAsync(id, "SUCCESS");
        Assert.Equal("localhost", status["location"]!["host"]!.GetValue<string>());
        Assert.Equal(Server.BaseAddress.Port, status["location"]!["port"]!.GetValue<int>());
    }
}
