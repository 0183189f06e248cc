using System.Net;
using System.Text;
using Dashboard.Core.Cluster;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;

namespace Dashboard.Tests.Cluster;

/// <summary>
/// A Druid cluster answers with its specs in clear (Druid serialises a PasswordProvider's password, and a peon logs its
/// spec): the cluster client masks what it hands on once, so the feed, the hub and the pages get the masked form.
/// </summary>
public sealed class ClusterSecretsTests
{
    private const string Secret = "cluster-Pa55-e41b";
    private const string Spec =
        $$$"""{"type":"http","uris":["http://u:{{{Secret}}}@data.example.com/a.json"],"httpAuthenticationUsername":"u","httpAuthenticationPassword":{"type":"default","password":"{{{Secret}}}"}}""";

    [Fact]
    public async Task ClusterAnswers_PayloadReportsLogAndErrors_AreMaskedByTheClient()
    {
        var client = ContractTests.Create(new ClusterHandler(), new DruidClusterOptions { Url = "http://druid.test:8888" });

        var payload = (await client.GetTaskPayloadAsync("t1", CancellationToken.None)).ToJsonString(DruidJson.Options);
        var reports = (await client.GetTaskReportsAsync("t1", CancellationToken.None)).ToJsonString(DruidJson.Options);
        var log = Encoding.UTF8.GetString(await client.GetTaskLogAsync("t1", 0, CancellationToken.None));
        var status = await client.GetTaskStatusAsync("t1", CancellationToken.None);
        var list = await client.GetTasksAsync(new TaskListQuery(), CancellationToken.None);

        Assert.All(new[] { payload, reports, log, status.ErrorMsg!, list.Single().ErrorMsg! }, text => Assert.DoesNotContain(Secret, text));
        Assert.Contains("<masked>", payload);
        Assert.Contains("<masked>", reports);
        Assert.Contains("http://u:<masked>@data.example.com/a.json", log);
        Assert.Contains("http://u:<masked>@data.example.com", status.ErrorMsg);
    }

    private sealed class ClusterHandler : HttpMessageHandler
    {
        private const string Task =
            $$"""{"id":"t1","groupId":"t1","type":"index_parallel","createdTime":"2026-01-01T00:00:00.000Z","queueInsertionTime":"1970-01-01T00:00:00.000Z","statusCode":"FAILED","status":"FAILED","runnerStatusCode":"NONE","duration":5,"location":{"host":null,"port":-1,"tlsPort":-1},"dataSource":"wiki","errorMsg":"Cannot read http://u:{{Secret}}@data.example.com/a.json"}""";

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var path = request.RequestUri!.AbsolutePath;
            var body = path switch
            {
                _ when path.EndsWith("/reports") => """{"ingestionStatsAndErrors":{"type":"ingestionStatsAndErrors","payload":{"inputSource":""" + Spec + "}}}",
                _ when path.EndsWith("/log") => $"2026-01-01T00:00:00,000 INFO Running task: {Spec}\n",
                _ when path.EndsWith("/status") => $$"""{"task":"t1","status":{{Task}}}""",
                _ when path.EndsWith("/tasks") => $"[{Task}]",
                _ => """{"task":"t1","payload":{"type":"index_parallel","id":"t1","spec":{"ioConfig":{"inputSource":""" + Spec + "}}}}",
            };
            return System.Threading.Tasks.Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
        }
    }
}
