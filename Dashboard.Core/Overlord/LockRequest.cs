using Dashboard.Core.Common;

namespace Dashboard.Core.Overlord;

/// <summary>Exclusive locks conflict with every other lock on an overlapping interval; shared locks only with exclusive ones.</summary>
public enum TaskLockType
{
    Exclusive,
    Shared,
}

/// <summary>A lock a task needs on one time chunk (or interval) of a data source before it may run.</summary>
public sealed record LockRequest(string DataSource, Interval Interval, TaskLockType Type);

/// <summary>A lock held by a task, as the dashboard shows it.</summary>
public sealed record TaskLock(string TaskId, string GroupId, int Priority, LockRequest Request);
