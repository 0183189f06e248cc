using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Bench;

/// <summary>The Druid API calls the campaigns make, over one <see cref="HttpClient"/>; a refused call throws with the answer.</summary>
public sealed class OverlordApi(HttpClient http)
{
    private const string V1 = "/druid/indexer/v1";

    public HttpClient Http => http;

    /// <summary><c>POST /task</c>; returns the task id.</summary>
    public async Task<string> SubmitTaskAsync(JsonNode spec, CancellationToken cancellationToken)
    {
        var answer = await PostAsync($"{V1}/task", spec.ToJsonString(), cancellationToken);
        return answer["task"]!.GetValue<string>();
    }

    /// <summary><c>POST /druid/v2/sql/task</c>; returns the controller task id.</summary>
    public async Task<string> SubmitSqlAsync(string query, CancellationToken cancellationToken)
    {
        var answer = await PostAsync("/druid/v2/sql/task", new JsonObject { ["query"] = query }.ToJsonString(), cancellationToken);
        return answer["taskId"]!.GetValue<string>();
    }

    /// <summary>Runs a SELECT as a query task and returns the rows of its report's results.</summary>
    public async Task<JsonArray> QueryAsync(string query, CancellationToken cancellationToken)
    {
        var id = await SubmitSqlAsync(query, cancellationToken);
        await ServerProcess.WaitForSuccessAsync(http, id, cancellationToken);
        var report = await ReportAsync(id, cancellationToken) ?? throw new InvalidOperationException($"Query task {id} succeeded without a report.");
        return report["multiStageQuery"]!["payload"]!["results"]!["results"]!.AsArray();
    }

    /// <summary><c>POST /taskStatus</c> in batches: id to its status object (<c>status</c>, <c>errorMsg</c>, ...); unknown ids are absent.</summary>
    public async Task<Dictionary<string, JsonObject>> StatusesAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var statuses = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var batch in ids.Chunk(1000))
        {
            var answer = await PostAsync($"{V1}/taskStatus", new JsonArray(batch.Select(id => (JsonNode)id).ToArray()).ToJsonString(), cancellationToken);
            foreach (var (id, status) in answer)
            {
                statuses[id] = status!.AsObject();
            }
        }

        return statuses;
    }

    /// <summary>Tasks RUNNING, PENDING or WAITING now (subtasks included).</summary>
    public async Task<int> ActiveCountAsync(CancellationToken cancellationToken)
    {
        var count = 0;
        foreach (var state in new[] { "running", "pending", "waiting" })
        {
            count += (await http.GetFromJsonAsync<JsonArray>($"{V1}/tasks?state={state}", cancellationToken))!.Count;
        }

        return count;
    }

    /// <summary>Polls until no task is active, or the timeout passes; returns whether the server went idle.</summary>
    public async Task<bool> WaitUntilIdleAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (await ActiveCountAsync(cancellationToken) > 0)
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200, cancellationToken);
        }

        return true;
    }

    /// <summary><c>GET /task/{id}/reports</c>, or null when the task has none.</summary>
    public async Task<JsonObject?> ReportAsync(string id, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync($"{V1}/task/{Uri.EscapeDataString(id)}/reports", cancellationToken);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync(response, cancellationToken);
    }

    /// <summary><c>GET /task/{id}/segments</c>: the segments the task published.</summary>
    public async Task<JsonArray> TaskSegmentsAsync(string id, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JsonArray>($"{V1}/task/{Uri.EscapeDataString(id)}/segments", cancellationToken))!;

    /// <summary>The coordinator's used segments of a datasource, in full (<c>/metadata/datasources/{ds}/segments?full</c>).</summary>
    public async Task<JsonArray> UsedSegmentsAsync(string dataSource, CancellationToken cancellationToken) =>
        (await http.GetFromJsonAsync<JsonArray>($"/druid/coordinator/v1/metadata/datasources/{Uri.EscapeDataString(dataSource)}/segments?full", cancellationToken))!;

    /// <summary>
    /// Rows an ingestion's report says it wrote: <c>rowStats.buildSegments.processed</c> of a native task, the rows
    /// pushed by the segment generator stage of an SQL one; null for a report of neither kind.
    /// </summary>
    public static long? IngestedRows(JsonObject report)
    {
        if (report["ingestionStatsAndErrors"]?["payload"]?["rowStats"]?["buildSegments"]?["processed"] is { } processed)
        {
            return processed.GetValue<long>();
        }

        if (report["multiStageQuery"]?["payload"] is not { } msq)
        {
            return null;
        }

        var generator = msq["stages"]!.AsArray().FirstOrDefault(s => s!["definition"]?["processor"]?["type"]?.GetValue<string>() == "segmentGenerator");
        var counters = generator is null ? null : msq["counters"]?[generator["stageNumber"]!.ToString()]?.AsObject();
        return counters?.Sum(worker => worker.Value!["segmentGenerationProgress"]?["rowsPushed"]?.GetValue<long>() ?? 0);
    }

    private async Task<JsonObject> PostAsync(string path, string json, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        return await ReadAsync(response, cancellationToken);
    }

    private static async Task<JsonObject> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri?.AbsolutePath}: {text[..Math.Min(400, text.Length)]}", null, response.StatusCode);
        }

        return JsonNode.Parse(text)!.AsObject();
    }
}
