using System.Collections.Concurrent;
using Dashboard.Core.Security;

namespace Dashboard.Security;

/// <summary>
/// Counts failed HTTP Basic sign-ins per client address in fixed one-minute windows; once an address reaches
/// <see cref="SecuritySettings.FailedSignInsPerMinute"/> it gets 429 until the window ends, right password or not, so
/// the API cannot be used to guess passwords faster than the login form.
/// </summary>
public sealed class SignInThrottle(SecuritySettings settings, TimeProvider time)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, (DateTimeOffset Start, int Failures)> _addresses = new(StringComparer.Ordinal);

    public bool IsBlocked(string address) =>
        _addresses.TryGetValue(address, out var entry) && time.GetUtcNow() - entry.Start < Window && entry.Failures >= settings.FailedSignInsPerMinute;

    public void RecordFailure(string address)
    {
        var now = time.GetUtcNow();
        _addresses.AddOrUpdate(address, _ => (now, 1), (_, entry) => now - entry.Start >= Window ? (now, 1) : (entry.Start, entry.Failures + 1));
        if (_addresses.Count > 10_000)
        {
            foreach (var (key, entry) in _addresses)
            {
                if (now - entry.Start >= Window)
                {
                    _addresses.TryRemove(key, out _);
                }
            }
        }
    }
}
