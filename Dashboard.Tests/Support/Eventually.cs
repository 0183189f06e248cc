namespace Dashboard.Tests.Support;

/// <summary>Waits for a condition instead of sleeping for a guessed time.</summary>
public static class Eventually
{
    public static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> until, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        T last;
        do
        {
            last = await probe();
            if (until(last))
            {
                return last;
            }

            await Task.Delay(10);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"Timed out waiting for {what ?? "the condition"}; last value: {last}");
    }
}
