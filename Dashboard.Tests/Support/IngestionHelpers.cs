using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Segments;
using DuckDB.NET.Data;

namespace Dashboard.Tests.Support;

/// <summary>Builds ingestion specs and inputs for tests, and reads written segments back with DuckDB.</summary>
public static class IngestionHelpers
{
    public static readonly string Wikiticker = Path.Combine(SharedDir(), "data", "wikiticker-2015-09-12-sampled.json.gz");

    /// <summary>The team's shared folder (data/, reference/): <c>SHARED_DIR</c> as scripts/test.sh sets it, else beside the repo.</summary>
    public static string SharedDir() =>
        Environment.GetEnvironmentVariable("SHARED_DIR") is { Length: > 0 } dir ? dir : Path.GetFullPath(Path.Combine(FindRepoRoot(), "..", "shared"));

    public static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Dashboard.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new DirectoryNotFoundException("Dashboard.sln not found above the test binaries.");
    }

    public static string WriteLines(string path, IEnumerable<string> lines, bool gzip = false)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var file = File.Create(path);
        using Stream stream = gzip ? new GZipStream(file, CompressionLevel.Fastest) : file;
        using var writer = new StreamWriter(stream, new UTF8Encoding(false));
        foreach (var line in lines)
        {
            writer.Write(line);
            writer.Write('\n');
        }

        return path;
    }

    /// <summary>An index_parallel task JSON; <paramref name="configure"/> edits the spec before it is serialised.</summary>
    public static string IndexTask(string dataSource, JsonObject inputSource, JsonObject inputFormat, Action<JsonObject>? configure = null, string? id = null)
    {
        var task = new JsonObject
        {
            ["type"] = "index_parallel",
            ["spec"] = new JsonObject
            {
                ["dataSchema"] = new JsonObject
                {
                    ["dataSource"] = dataSource,
                    ["timestampSpec"] = new JsonObject { ["column"] = "time", ["format"] = "iso" },
                    ["dimensionsSpec"] = new JsonObject { ["useSchemaDiscovery"] = true },
                    ["granularitySpec"] = new JsonObject { ["segmentGranularity"] = "day", ["queryGranularity"] = "none", ["rollup"] = false },
                },
                ["ioConfig"] = new JsonObject { ["type"] = "index_parallel", ["inputSource"] = inputSource, ["inputFormat"] = inputFormat },
                ["tuningConfig"] = new JsonObject { ["type"] = "index_parallel" },
            },
        };
        if (id is not null)
        {
            task["id"] = id;
        }

        configure?.Invoke(task["spec"]!.AsObject());
        return task.ToJsonString();
    }

    public static JsonObject LocalFiles(params string[] files) => new() { ["type"] = "local", ["files"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray()) };

    public static JsonObject Json() => new() { ["type"] = "json" };

    public static JsonNode? At(JsonNode node, string path) => path.Split('.').Aggregate((JsonNode?)node, (n, part) => n?[part]);

    /// <summary>Runs SQL over the segments' Parquet files, exposed as the view <c>ds</c>; returns rows as strings.</summary>
    public static async Task<List<string[]>> QuerySegmentsAsync(IEnumerable<DataSegment> segments, string sql)
    {
        var files = string.Join(", ", segments.Select(s => $"'{s.LoadSpec["path"]!.GetValue<string>()}'"));
        await using var db = new DuckDBConnection("DataSource=:memory:");
        await db.OpenAsync();
        await using var command = db.CreateCommand();
        command.CommandText = $"SET TimeZone='UTC'; CREATE VIEW ds AS SELECT * FROM read_parquet([{files}]); {sql}";
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!).ToArray());
        }

        return rows;
    }
}

/// <summary>
/// A tiny HTTP server on 127.0.0.1 (also answering as <c>localhost</c>) for http input sources: serves given bodies,
/// redirects, or holds a request open until released; it counts the requests per path and keeps their Authorization.
/// </summary>
public sealed class TestHttpServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, byte[]> _bodies = new();
    private readonly Dictionary<string, string> _redirects = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Path, string? Authorization)> _requests = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TestHttpServer()
    {
        var probe = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Port = port;
        BaseUrl = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(BaseUrl);
        _listener.Prefixes.Add($"http://localhost:{port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public string BaseUrl { get; }

    public int Port { get; }

    /// <summary>How many requests reached <paramref name="path"/> (without the leading slash).</summary>
    public int RequestsTo(string path) => _requests.Count(r => r.Path == path);

    /// <summary>The Authorization header of each request to <paramref name="path"/>, null where there was none.</summary>
    public IReadOnlyList<string?> AuthorizationsTo(string path) => _requests.Where(r => r.Path == path).Select(r => r.Authorization).ToList();

    /// <summary>Answers <paramref name="path"/> with a 302 to <paramref name="location"/>; returns the URL on 127.0.0.1.</summary>
    public string Redirect(string path, string location)
    {
        _redirects[path] = location;
        return BaseUrl + path;
    }

    public TaskCompletionSource StalledRequestArrived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Serve(string path, byte[] body)
    {
        _bodies[path] = body;
        return BaseUrl + path;
    }

    /// <summary>A URL whose response starts but never ends until the server is disposed.</summary>
    public string Stall(string path) => BaseUrl + "stall/" + path;

    private async Task ServeAsync()
    {
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

            _ = Task.Run(async () =>
            {
                var path = context.Request.Url!.AbsolutePath.TrimStart('/');
                _requests.Enqueue((path, context.Request.Headers["Authorization"]));
                try
                {
                    if (_redirects.TryGetValue(path, out var location))
                    {
                        context.Response.StatusCode = 302;
                        context.Response.RedirectLocation = location;
                    }
                    else if (path.StartsWith("stall/", StringComparison.Ordinal))
                    {
                        context.Response.SendChunked = true;
                        await context.Response.OutputStream.WriteAsync("{\"time\":\"2015-09-12T00:00:00Z\"}\n"u8.ToArray());
                        await context.Response.OutputStream.FlushAsync();
                        StalledRequestArrived.TrySetResult();
                        await _release.Task;
                    }
                    else if (_bodies.TryGetValue(path, out var body))
                    {
                        await context.Response.OutputStream.WriteAsync(body);
                    }
                    else
                    {
                        context.Response.StatusCode = 404;
                    }

                    context.Response.Close();
                }
                catch (Exception) when (!_listener.IsListening)
                {
                }
                catch (HttpListenerException)
                {
                }
            });
        }
    }

    public void Dispose()
    {
        _release.TrySetResult();
        _listener.Stop();
        _listener.Close();
    }
}
