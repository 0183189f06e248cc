namespace Dashboard.Tests.Support;

/// <summary>A clock a test moves by hand; timers still run on the system clock.</summary>
public sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
