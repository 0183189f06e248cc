using Dashboard.Core.Common;
using Dashboard.Core.Overlord;

namespace Dashboard.Tests.Core;

public class TaskLockboxTests
{
    private static LockRequest Exclusive(string interval, string ds = "wiki") => new(ds, Interval.Parse(interval), TaskLockType.Exclusive);

    [Fact]
    public void TryAcquire_OverlappingExclusive_FromOtherGroup_IsRefused_UntilReleased()
    {
        var lockbox = new TaskLockbox();
        Assert.True(lockbox.TryAcquire("a", "a", 0, [Exclusive("2015-09-12/2015-09-13")]));
        Assert.False(lockbox.TryAcquire("b", "b", 0, [Exclusive("2015-09-12T12:00:00Z/2015-09-14")]));

        lockbox.Release("a");

        Assert.True(lockbox.TryAcquire("b", "b", 0, [Exclusive("2015-09-12T12:00:00Z/2015-09-14")]));
    }

    [Fact]
    public void TryAcquire_SameGroup_SharesLocks()
    {
        var lockbox = new TaskLockbox();
        Assert.True(lockbox.TryAcquire("parent", "g", 0, [Exclusive("2015-09-12/2015-09-13")]));
        Assert.True(lockbox.TryAcquire("sub", "g", 0, [Exclusive("2015-09-12/2015-09-13")]));
    }

    [Fact]
    public void TryAcquire_OtherDataSourceOrAdjacentChunk_DoesNotConflict()
    {
        var lockbox = new TaskLockbox();
        Assert.True(lockbox.TryAcquire("a", "a", 0, [Exclusive("2015-09-12/2015-09-13")]));
        Assert.True(lockbox.TryAcquire("b", "b", 0, [Exclusive("2015-09-12/2015-09-13", ds: "other")]));
        Assert.True(lockbox.TryAcquire("c", "c", 0, [Exclusive("2015-09-13/2015-09-14")]));
    }

    [Fact]
    public void TryAcquire_SharedLocks_CoexistButBlockExclusive()
    {
        var lockbox = new TaskLockbox();
        var shared = new LockRequest("wiki", Interval.Parse("2015-09-12/2015-09-13"), TaskLockType.Shared);
        Assert.True(lockbox.TryAcquire("a", "a", 0, [shared]));
        Assert.True(lockbox.TryAcquire("b", "b", 0, [shared]));
        Assert.False(lockbox.TryAcquire("c", "c", 0, [Exclusive("2015-09-12/2015-09-13")]));
    }

    [Fact]
    public void TryAcquire_IsAllOrNothing()
    {
        var lockbox = new TaskLockbox();
        Assert.True(lockbox.TryAcquire("a", "a", 0, [Exclusive("2015-09-13/2015-09-14")]));
        Assert.False(lockbox.TryAcquire("b", "b", 0, [Exclusive("2015-09-12/2015-09-13"), Exclusive("2015-09-13/2015-09-14")]));
        Assert.Single(lockbox.Snapshot());
    }
}
