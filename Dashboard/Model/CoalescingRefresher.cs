namespace Dashboard.Model;

/// <summary>
/// Runs a refresh when asked, never two at once and starts at least <see cref="MinInterval"/> apart; requests made while
/// one runs or waits are folded into the next run. The first request after a quiet spell runs at once, but never inline:
/// a component that asks from its render loop renders what it has first (a row's new status), then refreshes.
/// </summary>
public sealed class CoalescingRefresher(Func<Task> refresh, TimeSpan minInterval) : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private int _running;
    private int _requested;
    private long _lastStart;

    public TimeSpan MinInterval => minInterval;

    public void Request()
    {
        Volatile.Write(ref _requested, 1);
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        try
        {
            while (Interlocked.Exchange(ref _requested, 0) == 1 && !_stop.IsCancellationRequested)
            {
                var wait = minInterval - System.Diagnostics.Stopwatch.GetElapsedTime(Volatile.Read(ref _lastStart));
                if (_lastStart != 0 && wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, _stop.Token).ConfigureAwait(false);
                    Volatile.Write(ref _requested, 0);
                }

                Volatile.Write(ref _lastStart, System.Diagnostics.Stopwatch.GetTimestamp());
                await refresh().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            Volatile.Write(ref _running, 0);
        }

        if (Volatile.Read(ref _requested) == 1 && !_stop.IsCancellationRequested && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
        {
            _ = Task.Run(RunAsync);
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _stop.Dispose();
    }
}
