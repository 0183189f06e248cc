using System.Text.Json.Nodes;
using Dashboard.Core.Common;

namespace Dashboard.Core.Msq.Execution;

/// <summary>One stage of a query as the report shows it: definition, phase, timing and per-worker counters.</summary>
public sealed class MsqStage(int number, string processor, JsonArray inputs, JsonArray signature, string queryId)
{
    private readonly object _gate = new();
    private readonly Dictionary<int, JsonObject> _counters = new();

    public int Number { get; } = number;
    public string Processor { get; } = processor;
    public string? Phase { get; private set; }
    public int WorkerCount { get; set; }
    public int PartitionCount { get; set; }
    public DateTimeOffset? StartTime { get; private set; }
    public DateTimeOffset? EndTime { get; private set; }

    public void Start(DateTimeOffset now, int workers)
    {
        lock (_gate)
        {
            StartTime = now;
            WorkerCount = workers;
            Phase = "READING_INPUT";
        }
    }

    public void SetPhase(string phase, DateTimeOffset now)
    {
        lock (_gate)
        {
            Phase = phase;
            if (phase is "FINISHED" or "FAILED")
            {
                EndTime ??= now;
            }
        }
    }

    public void SetCounters(int worker, JsonObject counters)
    {
        lock (_gate)
        {
            _counters[worker] = counters;
        }
    }

    public JsonObject? CountersJson()
    {
        lock (_gate)
        {
            if (_counters.Count == 0)
            {
                return null;
            }

            var json = new JsonObject();
            foreach (var (worker, counters) in _counters.OrderBy(c => c.Key))
            {
                json[worker.ToString()] = counters.DeepClone();
            }

            return json;
        }
    }

    public JsonObject ToJson(DateTimeOffset now)
    {
        lock (_gate)
        {
            var json = new JsonObject
            {
                ["stageNumber"] = Number,
                ["definition"] = new JsonObject
                {
                    ["id"] = $"{queryId}_{Number}",
                    ["input"] = inputs.DeepClone(),
                    ["processor"] = new JsonObject { ["type"] = Processor },
                    ["signature"] = signature.DeepClone(),
                    ["maxWorkerCount"] = Math.Max(1, WorkerCount),
                },
            };
            if (Phase is not null)
            {
                json["phase"] = Phase;
            }

            if (WorkerCount > 0)
            {
                json["workerCount"] = WorkerCount;
            }

            if (PartitionCount > 0)
            {
                json["partitionCount"] = PartitionCount;
            }

            if (StartTime is { } start)
            {
                json["startTime"] = DruidTime.Format(start);
                json["duration"] = (long)((EndTime ?? now) - start).TotalMilliseconds;
            }

            return json;
        }
    }
}
