using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.E2E.Infrastructure;

/// <summary>Druid's Tasks API of the test server, as a script or another client would call it.</summary>
public sealed class DashboardApi(Uri baseAddress) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseAddress };

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
