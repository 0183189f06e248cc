using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.E2E.Infrastructure;

/// <summary>Druid's Tasks API of the test server, as a script or another client would call it (with HTTP Basic when given a user).</summary>
public sealed class DashboardApi(Uri baseAddress, string? user = null, string? password = null) : IDisposable
{
    private readonly HttpClient _http = Create(baseAddress, user, password);

    private static HttpClient Create(Uri baseAddress, string? user, string? password)
    {
        var http = new HttpClient { BaseAddress = baseAddress };
        if (user is not null)
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        }

        return http;
    }

    public async Task<string> SubmitAsync(string json)
    {
        using var response = await _http.PostAsync("/druid/indexer/v1/task", new StringContent(json, Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["task"]!.GetValue<string>();
    }

    public async Task<JsonObject> StatusAsync(string taskId) =>
        (await _http.GetFromJsonAsync<JsonObject>($"/druid/indexer/v1/task/{Uri.EscapeDataString(taskId)}/status"))!["status"]!.AsObject();

    public async Task ShutdownAsync(string taskId)
    {
        using var response = await _http.PostAsync($"/druid/indexer/v1/task/{Uri.EscapeDataString(taskId)}/shutdown", null);
        response.EnsureSuccessStatusCode();
    }

    public void Dispose() => _http.Dispose();
}
