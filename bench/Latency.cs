using System.Diagnostics;

namespace Dashboard.Bench;

/// <summary>Percentiles of request latencies, in milliseconds.</summary>
public sealed record Latency(string Name, double P50, double P99, int Count)
{
    public static async Task<Latency> MeasureAsync(string name, int count, Func<Task> request)
    {
        var samples = new double[count];
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await request();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        Array.Sort(samples);
        return new Latency(name, Percentile(samples, 0.50), Percentile(samples, 0.99), count);
    }

    /// <summary>p50 and p99 of samples in any order.</summary>
    public static Latency Of(string name, IEnumerable<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return sorted.Length == 0 ? new Latency(name, double.NaN, double.NaN, 0) : new Latency(name, Percentile(sorted, 0.50), Percentile(sorted, 0.99), sorted.Length);
    }

    /// <summary>The middle value (the upper one of an even count); NaN when there is none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? double.NaN : sorted[sorted.Count / 2];
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
}
