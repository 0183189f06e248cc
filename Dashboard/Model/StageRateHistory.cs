namespace Dashboard.Model;

/// <summary>
/// Input rows per second of each stage over time, from successive live reports: each report adds, for every stage, a
/// point at the query's elapsed time with the rows read since the previous report (the first since the stage started,
/// when the report has the query's start time). Bounded to the last
/// <see cref="MaxPoints"/> points per stage.
/// </summary>
public sealed class StageRateHistory
{
    public const int MaxPoints = 120;

    private readonly Dictionary<int, (long ElapsedMs, long Rows)> _last = new();
    private readonly Dictionary<int, List<(long ElapsedMs, double RowsPerSecond)>> _points = new();

    public IReadOnlyDictionary<int, List<(long ElapsedMs, double RowsPerSecond)>> Points => _points;

    public void Add(MsqReportView report)
    {
        foreach (var stage in report.Stages.Where(s => s.Start is not null))
        {
            var stageStart = report.StartTime is { } start ? (long)(stage.Start!.Value - start).TotalMilliseconds : (long?)null;
            var elapsed = stageStart is { } offset ? offset + stage.DurationMs : report.DurationMs;
            if (!_last.ContainsKey(stage.Number) && stageStart is { } origin)
            {
                _last[stage.Number] = (origin, 0);
            }

            if (_last.TryGetValue(stage.Number, out var previous))
            {
                var dt = elapsed - previous.ElapsedMs;
                if (dt <= 0 || stage.InputRows < previous.Rows)
                {
                    continue;
                }

                var points = _points.TryGetValue(stage.Number, out var list) ? list : _points[stage.Number] = [];
                points.Add((elapsed, (stage.InputRows - previous.Rows) * 1000.0 / dt));
                if (points.Count > MaxPoints)
                {
                    points.RemoveAt(0);
                }
            }

            _last[stage.Number] = (elapsed, stage.InputRows);
        }
    }

    public void Clear()
    {
        _last.Clear();
        _points.Clear();
    }
}
