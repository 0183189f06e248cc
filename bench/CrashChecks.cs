using System.Text.Json.Nodes;
using DuckDB.NET.Data;

namespace Dashboard.Bench;

/// <summary>
/// What must hold after a server restart: successful tasks kept with their reports, tasks active at the stop FAILED
/// with the documented reason, visible segments exactly those of successful ingestions with their rows on disk, no
/// partial file, and COUNT(*) of each datasource equal to the ledger's expectation.
/// </summary>
public sealed class CrashChecks(OverlordApi api, string dataDir, CrashLedger ledger)
{
    public static readonly string[] DataSources = ["crash_native", "crash_sql"];

    public List<string> Mismatches { get; } = [];

    public int SegmentsChecked { get; private set; }

    /// <summary>Reads a successful task's report (and an ingestion's segments) into the ledger.</summary>
    public async Task RecordSuccessAsync(string id, CancellationToken cancellationToken)
    {
        var report = await api.ReportAsync(id, cancellationToken);
        ledger.Succeeded[id] = report is not null;
        var kind = ledger.Kinds[id];
        if (kind == TaskKind.Noop)
        {
            return;
        }

        var rows = report is null ? null : OverlordApi.IngestedRows(report);
        var segments = (await api.TaskSegmentsAsync(id, cancellationToken)).Select(Segment).ToList();
        if (rows is null || segments.Count == 0 || segments.Sum(s => s.TotalRows) != rows || segments.Select(s => s.Version).Distinct().Count() != 1)
        {
            Mismatches.Add($"{id} is SUCCESS but its report says {rows?.ToString() ?? "no"} rows and it published {segments.Count} segments " +
                           $"with {segments.Sum(s => s.TotalRows)} rows in {segments.Select(s => s.Version).Distinct().Count()} versions");
            return;
        }

        var dataSource = kind == TaskKind.Native ? DataSources[0] : DataSources[1];
        ledger.Ingestions[id] = new IngestionRecord(id, kind, dataSource, rows.Value, segments[0].Version, segments);
    }

    /// <summary>Checks the tasks: the ledger's successes kept, the ones active at the stop now SUCCESS (ended in time) or FAILED with <paramref name="reason"/>.</summary>
    public async Task<(int Kept, int FailedWithReason, int EndedBeforeStop)> CheckTasksAsync(IReadOnlyCollection<string> activeAtStop, string reason,
        CancellationToken cancellationToken)
    {
        if (await api.ActiveCountAsync(cancellationToken) is var active and > 0)
        {
            Mismatches.Add($"{active} tasks are still active after the restart");
        }

        var statuses = await api.StatusesAsync(ledger.Succeeded.Keys.Concat(activeAtStop).ToList(), cancellationToken);
        var kept = 0;
        foreach (var (id, hadReport) in ledger.Succeeded.ToList())
        {
            var status = statuses.GetValueOrDefault(id)?["status"]?.GetValue<string>();
            if (status != "SUCCESS")
            {
                Mismatches.Add($"{id} was SUCCESS and is now {status ?? "unknown"}");
                continue;
            }

            var report = await api.ReportAsync(id, cancellationToken);
            var rows = report is null ? null : OverlordApi.IngestedRows(report);
            var ingestion = ledger.Ingestions.GetValueOrDefault(id);
            if ((hadReport && report is null) || (ingestion is not null && rows != ingestion.Rows))
            {
                Mismatches.Add($"{id} was SUCCESS with {ingestion?.Rows.ToString() ?? "a"} report; now its report says {rows?.ToString() ?? "nothing"}");
                continue;
            }

            kept++;
        }

        var failed = 0;
        var ended = 0;
        foreach (var id in activeAtStop)
        {
            var status = statuses.GetValueOrDefault(id);
            switch (status?["status"]?.GetValue<string>())
            {
                case "SUCCESS":
                    ended++;
                    await RecordSuccessAsync(id, cancellationToken);
                    break;
                case "FAILED" when status["errorMsg"]?.GetValue<string>() == reason:
                    failed++;
                    break;
                default:
                    Mismatches.Add($"{id} was active at the stop and is now {status?.ToJsonString() ?? "unknown"}; expected FAILED with \"{reason}\"");
                    break;
            }
        }

        return (kept, failed, ended);
    }

    /// <summary>Checks each datasource's used segments, their files and rows, the data folder, and COUNT(*).</summary>
    public async Task CheckSegmentsAsync(CancellationToken cancellationToken)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        var queried = new HashSet<string>(StringComparer.Ordinal);
        await using var duck = new DuckDBConnection("DataSource=:memory:");
        await duck.OpenAsync(cancellationToken);
        foreach (var dataSource in DataSources)
        {
            var published = ledger.Ingestions.Values.Where(i => i.DataSource == dataSource).SelectMany(i => i.Segments).ToDictionary(s => s.Identifier, StringComparer.Ordinal);
            known.UnionWith(published.Values.Select(s => s.Path));
            var used = (await api.UsedSegmentsAsync(dataSource, cancellationToken)).Select(Segment).ToList();
            foreach (var segment in used)
            {
                SegmentsChecked++;
                known.Add(segment.Path);
                if (!published.TryGetValue(segment.Identifier, out var expected))
                {
                    Mismatches.Add($"segment {segment.Identifier} is visible but no successful task published it");
                }
                else if (expected != segment)
                {
                    Mismatches.Add($"segment {segment.Identifier} changed: was {expected}, now {segment}");
                }
                else if (!File.Exists(segment.Path) || await ParquetRowsAsync(duck, segment.Path, cancellationToken) != segment.TotalRows)
                {
                    Mismatches.Add($"segment {segment.Identifier}: file {segment.Path} is missing or does not hold {segment.TotalRows} rows");
                }
            }

            var usedIds = used.Select(s => s.Identifier).ToHashSet(StringComparer.Ordinal);
            var visible = ledger.Visible(dataSource).ToHashSet();
            foreach (var ingestion in ledger.Ingestions.Values.Where(i => i.DataSource == dataSource))
            {
                var now = (await api.TaskSegmentsAsync(ingestion.TaskId, cancellationToken)).Select(Segment).ToList();
                if (!now.SequenceEqual(ingestion.Segments))
                {
                    Mismatches.Add($"{ingestion.TaskId} published {string.Join(", ", ingestion.Segments.Select(s => s.Identifier))}; now it lists {now.Count} segments");
                }
                else if (visible.Contains(ingestion) && ingestion.Segments.FirstOrDefault(s => !usedIds.Contains(s.Identifier)) is { } lost)
                {
                    Mismatches.Add($"segment {lost.Identifier} of {ingestion.TaskId} is not overwritten by a newer ingestion but is no longer used");
                }
            }

            if (used.Count > 0)
            {
                queried.Add(dataSource);
            }
        }

        // Before this check's own queries run: a query task's work folder lives until just after its SUCCESS is committed.
        CheckFiles(known);
        foreach (var dataSource in DataSources)
        {
            var expectedRows = ledger.ExpectedRows(dataSource);
            var counted = queried.Contains(dataSource) ? (await api.QueryAsync($"SELECT COUNT(*) AS c FROM {dataSource}", cancellationToken))[0]![0]!.GetValue<long>() : 0;
            if (counted != expectedRows)
            {
                Mismatches.Add($"COUNT(*) of {dataSource} is {counted:N0}; the successful ingestions add up to {expectedRows:N0}");
            }
        }
    }

    private void CheckFiles(HashSet<string> segmentFiles)
    {
        foreach (var file in Files("segments").Where(f => !segmentFiles.Contains(f)))
        {
            Mismatches.Add($"file {file} is under segments/ but no successful task's segment names it");
        }

        foreach (var file in Files("staging").Concat(Files("task-work")))
        {
            Mismatches.Add($"in-flight file {file} is still there after the restart");
        }
    }

    private IEnumerable<string> Files(string folder)
    {
        var path = Path.Combine(dataDir, folder);
        return Directory.Exists(path) ? Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories) : [];
    }

    private static SegmentRecord Segment(JsonNode? json) => new(json!["identifier"]!.GetValue<string>(), json["version"]!.GetValue<string>(),
        json["loadSpec"]!["path"]!.GetValue<string>(), json["totalRows"]!.GetValue<long>());

    private static async Task<long> ParquetRowsAsync(DuckDBConnection duck, string path, CancellationToken cancellationToken)
    {
        await using var command = duck.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM read_parquet('{path.Replace("'", "''")}')";
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }
}
