using System.Collections.Concurrent;
using Dashboard.Core.Security;

namespace Dashboard.Security;

/// <summary>How a user signs in; each has its own per-user limit.</summary>
public enum SignInChannel
{
    /// <summary>HTTP Basic on the API (<see cref="SecuritySettings.FailedSignInsPerMinute"/>).</summary>
    Basic,

    /// <summary>The login form (<see cref="SecuritySettings.LoginAttemptsPerMinute"/>).</summary>
    Form,
}

/// <summary>
/// Counts failed sign-ins in one-minute windows per (channel, user name, client address), and per address over every
/// user with a higher ceiling (<see cref="SecuritySettings.FailedSignInsPerAddressPerMinute"/>). A user who reaches
/// the limit from an address is locked there for <see cref="CoolDown"/> from the failure that reached it, right
/// password or not; other users of the same address are not, until the address itself reaches its ceiling. A
/// successful sign-in clears the user's count. Both maps are pruned of expired entries past
/// <see cref="MaxEntries"/>; when one is still full, new keys are not tracked (the address ceiling still applies).
/// </summary>
public sealed class SignInThrottle(SecuritySettings settings, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan CoolDown = TimeSpan.FromMinutes(1);
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<(SignInChannel Channel, string User, string Address), Counter> _users = new();
    private readonly ConcurrentDictionary<string, Counter> _addresses = new(StringComparer.Ordinal);

    /// <summary>Counters held now (per user and address, and per address): at most twice <see cref="MaxEntries"/>.</summary>
    public int TrackedEntries => _users.Count + _addresses.Count;

    /// <summary>Null when the user may try to sign in from the address; otherwise why not and how long until they may.</summary>
    public SignInLock? Check(SignInChannel channel, string user, string address)
    {
        var now = time.GetUtcNow();
        if (_addresses.TryGetValue(address, out var byAddress) && now < byAddress.LockedUntil)
        {
            return new SignInLock(false, byAddress.LockedUntil - now);
        }

        return _users.TryGetValue((channel, user, address), out var byUser) && now < byUser.LockedUntil
            ? new SignInLock(true, byUser.LockedUntil - now)
            : null;
    }

    public void RecordFailure(SignInChannel channel, string user, string address)
    {
        var now = time.GetUtcNow();
        var limit = channel == SignInChannel.Basic ? settings.FailedSignInsPerMinute : settings.LoginAttemptsPerMinute;
        Count(_users, (channel, user, address), limit, now);
        Count(_addresses, address, settings.FailedSignInsPerAddressPerMinute, now);
    }

    /// <summary>A successful sign-in forgets the user's earlier failures from that address (not the address's count).</summary>
    public void RecordSuccess(SignInChannel channel, string user, string address) => _users.TryRemove((channel, user, address), out _);

    private static void Count<TKey>(ConcurrentDictionary<TKey, Counter> counters, TKey key, int limit, DateTimeOffset now)
        where TKey : notnull
    {
        if (counters.Count >= MaxEntries && !counters.ContainsKey(key))
        {
            Prune(counters, now);
            if (counters.Count >= MaxEntries)
            {
                return;
            }
        }

        counters.AddOrUpdate(key, _ => Counter.First(now, limit), (_, counter) => counter.Next(now, limit));
    }

    private static void Prune<TKey>(ConcurrentDictionary<TKey, Counter> counters, DateTimeOffset now)
        where TKey : notnull
    {
        foreach (var (key, counter) in counters)
        {
            if (counter.IsExpired(now))
            {
                counters.TryRemove(key, out _);
            }
        }
    }

    private readonly record struct Counter(DateTimeOffset WindowStart, int Failures, DateTimeOffset LockedUntil)
    {
        public static Counter First(DateTimeOffset now, int limit) => Lock(new Counter(now, 1, DateTimeOffset.MinValue), now, limit);

        public Counter Next(DateTimeOffset now, int limit) =>
            now - WindowStart >= Window ? First(now, limit) : Lock(this with { Failures = Failures + 1 }, now, limit);

        public bool IsExpired(DateTimeOffset now) => now - WindowStart >= Window && now >= LockedUntil;

        private static Counter Lock(Counter counter, DateTimeOffset now, int limit) =>
            counter.Failures >= limit && now >= counter.LockedUntil ? counter with { LockedUntil = now + CoolDown } : counter;
    }
}

/// <summary>A refused sign-in: by the user's own limit (<see cref="ForUser"/>) or the address's, and the time left.</summary>
public sealed record SignInLock(bool ForUser, TimeSpan RetryAfter)
{
    /// <summary>Whole seconds, rounded up, for a <c>Retry-After</c> header.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));
}
