using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.Json;
using System.Text;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Core.Segments;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Cluster;

/// <summary>
/// <see cref="IOverlordClient"/> over Druid's HTTP Tasks API (a typed HttpClient; timeouts, retries of reads and the
/// circuit breaker come from its resilience pipeline). Answers are read into the same model the embedded overlord uses;
/// error answers become <see cref="DruidException"/>s with Druid's status, body shape and message. The dashboard's
/// paging (<see cref="QueryTasksAsync"/>) is answered from the poller's task list, not by one request per page.
/// </summary>
public sealed partial class DruidHttpOverlordClient(HttpClient http, DruidClusterOptions options, ClusterTaskPages pages) : IOverlordClient
{
    private const string V1 = "druid/indexer/v1";
    private readonly string _host = options.DisplayHost();

    public async Task<string> SubmitTaskAsync(JsonObject task, CancellationToken cancellationToken)
    {
        var answer = await SendJsonAsync(HttpMethod.Post, $"{V1}/task", task, cancellationToken).ConfigureAwait(false);
        return answer["task"]?.GetValue<string>() ?? throw MissingField("task");
    }

    public async Task<JsonObject> GetTaskPayloadAsync(string taskId, CancellationToken cancellationToken)
    {
        var answer = await SendJsonAsync(HttpMethod.Get, $"{V1}/task/{Escape(taskId)}", null, cancellationToken).ConfigureAwait(false);
        return SecretMasker.MaskInPlace(answer["payload"] as JsonObject ?? throw MissingField("payload"));
    }

    public async Task<TaskStatusPlus> GetTaskStatusAsync(string taskId, CancellationToken cancellationToken)
    {
        var answer = await SendJsonAsync(HttpMethod.Get, $"{V1}/task/{Escape(taskId)}/status", null, cancellationToken).ConfigureAwait(false);
        return ReadStatusAnswer(answer);
    }

    public async Task<IReadOnlyList<TaskStatusPlus>> GetTasksAsync(TaskListQuery query, CancellationToken cancellationToken)
    {
        var answer = await SendJsonAsync(HttpMethod.Get, $"{V1}/tasks{ToQueryString(query)}", null, cancellationToken).ConfigureAwait(false);
        return ReadTaskList(answer);
    }

    public async Task<IReadOnlyDictionary<string, TaskStatus>> GetTaskStatusesAsync(IReadOnlyCollection<string> taskIds, CancellationToken cancellationToken)
    {
        var body = new JsonArray(taskIds.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray());
        var answer = await SendJsonAsync(HttpMethod.Post, $"{V1}/taskStatus", body, cancellationToken).ConfigureAwait(false);
        return ReadStatuses(answer);
    }

    public async Task<JsonObject> GetTaskReportsAsync(string taskId, CancellationToken cancellationToken) =>
        SecretMasker.MaskInPlace((await SendJsonAsync(HttpMethod.Get, $"{V1}/task/{Escape(taskId)}/reports", null, cancellationToken).ConfigureAwait(false)).AsObject());

    // A Druid peon logs its spec: the log is masked here, where the cluster's answer is handed on, as reports are.
    public async Task<byte[]> GetTaskLogAsync(string taskId, long offset, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetBytes(SecretMasker.MaskText(System.Text.Encoding.UTF8.GetString(
            await SendAsync(HttpMethod.Get, $"{V1}/task/{Escape(taskId)}/log?offset={offset}", null, cancellationToken).ConfigureAwait(false))));

    public async Task<IReadOnlyList<DataSegment>> GetTaskSegmentsAsync(string taskId, CancellationToken cancellationToken)
    {
        var answer = await SendJsonAsync(HttpMethod.Get, $"{V1}/task/{Escape(taskId)}/segments", null, cancellationToken).ConfigureAwait(false);
        return answer.Deserialize<List<DataSegment>>(DruidJson.Options) ?? [];
    }

    public Task ShutdownTaskAsync(string taskId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{V1}/task/{Escape(taskId)}/shutdown", null, cancellationToken);

    public Task ShutdownAllTasksAsync(string dataSource, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, $"{V1}/datasources/{Escape(dataSource)}/shutdownAllTasks", null, cancellationToken);

    public async Task<int> CleanPendingSegmentsAsync(string dataSource, Interval? interval, CancellationToken cancellationToken)
    {
        var query = interval is { } i ? "?interval=" + Uri.EscapeDataString(i.ToString()) : "";
        var answer = await SendJsonAsync(HttpMethod.Delete, $"{V1}/pendingSegments/{Escape(dataSource)}{query}", null, cancellationToken).ConfigureAwait(false);
        return answer["numDeleted"]?.GetValue<int>() ?? throw MissingField("numDeleted");
    }

    /// <summary>
    /// <c>POST /druid/v2/sql/task</c>: 202 <c>{"taskId","state"}</c>, or the plan row of an EXPLAIN PLAN FOR. A planning
    /// error (SqlTaskStatus with an <c>error</c> ErrorResponse) comes back as that DruidException.
    /// </summary>
    public async Task<SqlTaskSubmission> SubmitSqlTaskAsync(SqlTaskRequest request, CancellationToken cancellationToken)
    {
        var body = new JsonObject
        {
            ["query"] = request.Query,
            ["context"] = request.Context.DeepClone(),
            ["resultFormat"] = request.ResultFormat,
            ["header"] = request.Header,
        };
        var answer = await SendJsonAsync(HttpMethod.Post, "druid/v2/sql/task", body, cancellationToken).ConfigureAwait(false);
        return ReadSqlSubmission(answer);
    }

    /// <summary>The answer of <c>POST /druid/v2/sql/task</c>: a status object, or the EXPLAIN rows (object or array format).</summary>
    public static SqlTaskSubmission ReadSqlSubmission(JsonNode answer)
    {
        if (answer is JsonObject status)
        {
            return new SqlTaskSubmission(status.Deserialize<SqlTaskStatus>(DruidJson.Options), null);
        }

        string[] names = ["PLAN", "RESOURCES", "ATTRIBUTES"];
        var rows = answer.AsArray();
        var last = rows.Count == 0 ? null : rows[^1];
        var row = last switch
        {
            JsonObject o => (JsonObject)o.DeepClone(),
            JsonArray a => new JsonObject(names.Select((n, i) => KeyValuePair.Create(n, i < a.Count ? a[i]?.DeepClone() : null))),
            _ => throw MissingField("PLAN"),
        };
        return new SqlTaskSubmission(null, row);
    }

    /// <summary><c>POST /druid/indexer/v1/sampler</c> on the cluster: Druid's own sampler (it needs an inputFormat).</summary>
    public async Task<Ingestion.Sampling.SamplerResponse> SampleAsync(JsonObject samplerSpec, CancellationToken cancellationToken)
    {
        var answer = await SendJsonAsync(HttpMethod.Post, $"{V1}/sampler", samplerSpec, cancellationToken).ConfigureAwait(false);
        return answer.Deserialize<Ingestion.Sampling.SamplerResponse>(DruidJson.Options) ?? throw MissingField("data");
    }

    public Task<TaskPage> QueryTasksAsync(TaskPageQuery query, CancellationToken cancellationToken) => pages.QueryAsync(query, cancellationToken);

    /// <summary><c>GET /totalWorkerCapacity</c>: Druid's currentClusterCapacity and usedClusterCapacity.</summary>
    public async Task<TotalWorkerCapacity> GetTotalWorkerCapacityAsync(CancellationToken cancellationToken)
    {
        var answer = await SendJsonAsync(HttpMethod.Get, $"{V1}/totalWorkerCapacity", null, cancellationToken).ConfigureAwait(false);
        return new TotalWorkerCapacity(
            JsonNumbers.TryGetInt64(answer["currentClusterCapacity"], out var total) ? (int)total : throw MissingField("currentClusterCapacity"),
            JsonNumbers.TryGetInt64(answer["usedClusterCapacity"], out var used) ? (int)used : 0);
    }

    public async Task<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken) =>
        WorkerInfo.ListFromJson(await SendJsonAsync(HttpMethod.Get, $"{V1}/workers", null, cancellationToken).ConfigureAwait(false));

    public async Task<string> GetLeaderAsync(CancellationToken cancellationToken) =>
        Encoding.UTF8.GetString(await SendAsync(HttpMethod.Get, $"{V1}/leader", null, cancellationToken).ConfigureAwait(false)).Trim();

    /// <summary><c>{"task": id, "status": TaskStatusPlus}</c>, the answer of <c>GET /task/{id}/status</c>.</summary>
    public static TaskStatusPlus ReadStatusAnswer(JsonNode answer) =>
        Masked((answer["status"] ?? throw MissingField("status")).Deserialize<TaskStatusPlus>(DruidJson.Options) ?? throw MissingField("status"));

    /// <summary>The answer of <c>GET /tasks</c> and its aliases.</summary>
    public static IReadOnlyList<TaskStatusPlus> ReadTaskList(JsonNode answer) =>
        (answer.Deserialize<List<TaskStatusPlus>>(DruidJson.Options) ?? []).Select(Masked).ToList();

    // A cluster's error message may quote a spec (an http URI with its password): masked once, here.
    private static TaskStatusPlus Masked(TaskStatusPlus task) =>
        task.ErrorMsg is { } error && SecretMasker.MaskText(error) is var masked && masked != error ? task with { ErrorMsg = masked } : task;

    /// <summary>The answer of <c>POST /taskStatus</c>.</summary>
    public static IReadOnlyDictionary<string, TaskStatus> ReadStatuses(JsonNode answer) =>
        answer.Deserialize<Dictionary<string, TaskStatus>>(DruidJson.Options) ?? [];

    public static string ToQueryString(TaskListQuery query)
    {
        var parts = new List<string>();
        if (TaskListQuery.ToQueryValue(query.State) is { } state) parts.Add("state=" + state);
        if (query.DataSource is { } ds) parts.Add("datasource=" + Uri.EscapeDataString(ds));
        if (query.Type is { } type) parts.Add("type=" + Uri.EscapeDataString(type));
        if (query.Max is { } max) parts.Add("max=" + max);
        if (query.CreatedTimeInterval is { } interval) parts.Add("createdTimeInterval=" + Uri.EscapeDataString(interval.ToString().Replace('/', '_')));
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }

    private async Task<JsonNode> SendJsonAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        var bytes = await SendAsync(method, path, body, cancellationToken).ConfigureAwait(false);
        try
        {
            return JsonNode.Parse(bytes) ?? throw new JsonException("null");
        }
        catch (JsonException ex)
        {
            throw new DruidException(502, ErrorBodyShape.ErrorMap, $"The Druid cluster at {_host} answered {method} /{path.Split('?')[0]} with something that is not JSON: {ex.Message}");
        }
    }

    private async Task<byte[]> SendAsync(HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(DruidJson.Options), Encoding.UTF8, "application/json");
        }

        return (await SendWithHeadersAsync(request, cancellationToken).ConfigureAwait(false)).Content;
    }

    private async Task<(byte[] Content, HttpResponseHeaders Headers)> SendWithHeadersAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or TimeoutException or OperationCanceledException
                                       || ex.GetType().Name is "BrokenCircuitException" or "TimeoutRejectedException" or "IsolatedCircuitException")
        {
            throw DruidErrors.Unreachable(_host, ex);
        }

        using (response)
        {
            var content = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return (content, response.Headers);
            }

            throw DruidErrors.FromResponse((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, Encoding.UTF8.GetString(content));
        }
    }

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static DruidException MissingField(string field) =>
        new(502, ErrorBodyShape.ErrorMap, $"The Druid cluster's answer has no [{field}] field.");
}
