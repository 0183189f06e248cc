using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Dashboard.Tests.Support;

/// <summary>
/// An http input on 127.0.0.1 that serves a small JSON-lines file only with the right Basic credentials, so a task
/// that succeeds has read the real password.
/// </summary>
public sealed class PasswordProtectedInput : IDisposable
{
    public const string User = "ingest";

    /// <summary>Rows of 2026-01-01 (one DAY chunk).</summary>
    public static readonly byte[] Rows = Encoding.UTF8.GetBytes("""
        {"time":"2026-01-01T00:00:00Z","page":"a","added":1}
        {"time":"2026-01-01T01:00:00Z","page":"b","added":2}

        """);

    private readonly HttpListener _listener;

    public PasswordProtectedInput(string password)
    {
        Password = password;
        while (true)
        {
            var port = Random.Shared.Next(20_000, 60_000);
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException)
            {
                continue;
            }

            (_listener, Port) = (listener, port);
            break;
        }

        _ = ServeAsync();
    }

    public string Password { get; }

    public int Port { get; }

    public string Uri => $"http://127.0.0.1:{Port}/rows.json";

    /// <summary>An index_parallel spec that reads this input, authenticating with <paramref name="password"/> in PasswordProvider form.</summary>
    public JsonObject NativeBatchSpec(string dataSource, string password) => new()
    {
        ["type"] = "index_parallel",
        ["spec"] = new JsonObject
        {
            ["dataSchema"] = new JsonObject
            {
                ["dataSource"] = dataSource,
                ["timestampSpec"] = new JsonObject { ["column"] = "time", ["format"] = "iso" },
                ["dimensionsSpec"] = new JsonObject { ["dimensions"] = new JsonArray("page") },
                ["granularitySpec"] = new JsonObject { ["segmentGranularity"] = "day", ["queryGranularity"] = "none", ["rollup"] = false },
            },
            ["ioConfig"] = new JsonObject
            {
                ["type"] = "index_parallel",
                ["inputSource"] = new JsonObject
                {
                    ["type"] = "http",
                    ["uris"] = new JsonArray(Uri),
                    ["httpAuthenticationUsername"] = User,
                    ["httpAuthenticationPassword"] = new JsonObject { ["type"] = "default", ["password"] = password },
                },
                ["inputFormat"] = new JsonObject { ["type"] = "json" },
            },
        },
    };

    public void Dispose() => _listener.Close();

    private async Task ServeAsync()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }

            if (context.Request.Headers["Authorization"] == expected)
            {
                context.Response.StatusCode = 200;
                await context.Response.OutputStream.WriteAsync(Rows);
            }
            else
            {
                context.Response.StatusCode = 401;
            }

            context.Response.Close();
        }
    }
}
