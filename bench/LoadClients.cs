using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Dashboard.Bench;

/// <summary>
/// The load campaign's clients: each loops until the time is up, picking a request by weight (seeded per client) and
/// timing it. Every answer must be 2xx; anything else, or an exception, is an error of that kind.
/// </summary>
public sealed class LoadClients(OverlordApi api, string sqlQuery, IReadOnlyList<string> seedIds)
{
    private const string V1 = "/druid/indexer/v1";

    public const string Health = "GET /status/health (baseline)";

    private static readonly (string Kind, int Weight)[] Mix =
    [
        (Health, 15),
        ("GET /tasks?state=running", 8),
        ("GET /tasks?state=complete&max=100", 8),
        ("GET /task/{id}", 14),
        ("GET /task/{id}/status", 20),
        ("POST /task (noop)", 25),
        ("POST /sql/task (SELECT)", 10),
    ];

    private readonly ConcurrentQueue<string> _noops = new();
    private readonly ConcurrentQueue<string> _queries = new();
    private readonly ConcurrentDictionary<string, ConcurrentBag<double>> _latencies = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly ConcurrentQueue<string> _firstErrors = new();
    private readonly List<string> _ids = [.. seedIds];
    private int _sent;

    public static IEnumerable<string> Kinds => Mix.Select(m => m.Kind);

    public IReadOnlyCollection<string> Noops => _noops;

    public IReadOnlyCollection<string> Queries => _queries;

    public IEnumerable<string> FirstErrors => _firstErrors;

    public Latency Latency(string kind) => Bench.Latency.Of(kind, _latencies.GetValueOrDefault(kind) ?? []);

    public int Errors(string kind) => _errors.GetValueOrDefault(kind);

    /// <summary>Runs <paramref name="clients"/> loops for <paramref name="duration"/> or <paramref name="maxRequests"/> in all; returns the wall time taken.</summary>
    public async Task<TimeSpan> RunAsync(int clients, TimeSpan duration, int maxRequests, int seed, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(i => Task.Run(() => ClientAsync(new Random(seed * 1000 + i), clock, duration, maxRequests, cancellationToken), cancellationToken)));
        return clock.Elapsed;
    }

    private async Task ClientAsync(Random random, Stopwatch clock, TimeSpan duration, int maxRequests, CancellationToken cancellationToken)
    {
        var total = Mix.Sum(m => m.Weight);
        while (clock.Elapsed < duration && Interlocked.Increment(ref _sent) <= maxRequests && !cancellationToken.IsCancellationRequested)
        {
            var pick = random.Next(total);
            var kind = Mix.First(m => (pick -= m.Weight) < 0).Kind;
            var start = Stopwatch.GetTimestamp();
            try
            {
                await SendAsync(kind, random, cancellationToken);
                _latencies.GetOrAdd(kind, _ => []).Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
                if (_firstErrors.Count < 10)
                {
                    _firstErrors.Enqueue($"{kind}: {e.Message}");
                }
            }
        }
    }

    private async Task SendAsync(string kind, Random random, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case "POST /task (noop)":
                _noops.Enqueue(Remember(await api.SubmitTaskAsync(new JsonObject { ["type"] = "noop", ["runTime"] = 0, ["dataSource"] = "load_noop" }, cancellationToken)));
                return;
            case "POST /sql/task (SELECT)":
                _queries.Enqueue(Remember(await api.SubmitSqlAsync(sqlQuery, cancellationToken)));
                return;
        }

        var path = kind switch
        {
            Health => "/status/health",
            "GET /tasks?state=running" => $"{V1}/tasks?state=running",
            "GET /tasks?state=complete&max=100" => $"{V1}/tasks?state=complete&max=100",
            "GET /task/{id}" => $"{V1}/task/{Uri.EscapeDataString(AnyId(random))}",
            _ => $"{V1}/task/{Uri.EscapeDataString(AnyId(random))}/status",
        };
        using var response = await api.Http.GetAsync(path, cancellationToken);
        await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from GET {path}");
        }
    }

    private string Remember(string id)
    {
        lock (_ids)
        {
            _ids.Add(id);
        }

        return id;
    }

    private string AnyId(Random random)
    {
        lock (_ids)
        {
            return _ids[random.Next(_ids.Count)];
        }
    }
}
