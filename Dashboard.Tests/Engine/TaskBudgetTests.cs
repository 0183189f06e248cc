using Dashboard.Core.Engine;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Overlord;

namespace Dashboard.Tests.Engine;

/// <summary>How much memory and how many threads a task's DuckDB session gets, and which configurations must not start.</summary>
public sealed class TaskBudgetTests
{
    [Fact]
    public void Default_IsHalfTheMachineSharedByTheSlots()
    {
        var budget = new TaskBudget(new OverlordOptions { WorkerCapacity = 4 }, new IngestionOptions(), physicalMemoryMiB: 16384);

        Assert.Equal(2048, budget.MemoryMiB);
        Assert.Null(budget.Problem);
    }

    [Fact]
    public void Default_WithManySlots_IsAtLeast256MiB_AndNeverMoreThanTheMachine()
    {
        Assert.Equal(256, new TaskBudget(new OverlordOptions { WorkerCapacity = 20 }, new IngestionOptions(), 8192).MemoryMiB);
        var crowded = new TaskBudget(new OverlordOptions { WorkerCapacity = 200 }, new IngestionOptions(), 8192);
        Assert.Equal(40, crowded.MemoryMiB);
        Assert.Null(crowded.Problem);
    }

    [Fact]
    public void FormerKey_IngestionMemoryLimitMiB_StillSetsTheBudget_AndTaskMemoryWins()
    {
        Assert.Equal(700, new TaskBudget(new OverlordOptions(), new IngestionOptions { MemoryLimitMiB = 700 }, 16384).MemoryMiB);
        Assert.Equal(900, new TaskBudget(new OverlordOptions { TaskMemory = 900 }, new IngestionOptions { MemoryLimitMiB = 700 }, 16384).MemoryMiB);
    }

    [Fact]
    public void TaskMemoryTimesSlotsOverThePhysicalMemory_IsAProblemNamingBothNumbers()
    {
        var budget = new TaskBudget(new OverlordOptions { TaskMemory = 3000, WorkerCapacity = 4 }, new IngestionOptions(), physicalMemoryMiB: 8192);

        Assert.Equal("Refusing to start: Overlord:TaskMemory (3,000 MiB) x Overlord:WorkerCapacity (4) = 12,000 MiB is more than this machine's physical memory " +
                     "(8,192 MiB). Lower Overlord:TaskMemory or Overlord:WorkerCapacity.", budget.Problem);
    }

    [Fact]
    public void MaxRowsInMemory_LowersTheSessionMemory_NeverRaisesIt()
    {
        var budget = new TaskBudget(new OverlordOptions { TaskMemory = 1024 }, new IngestionOptions(), 16384);

        Assert.Equal(256, budget.ForMaxRowsInMemory(1000));
        Assert.Equal(400, budget.ForMaxRowsInMemory(102_400));
        Assert.Equal(1024, budget.ForMaxRowsInMemory(int.MaxValue));
    }

    [Fact]
    public void Threads_ComeFromTaskThreads_ThenIngestionThreads_ThenTheCores()
    {
        Assert.Equal(3, new TaskBudget(new OverlordOptions { TaskThreads = 3 }, new IngestionOptions { Threads = 5 }, 16384).Threads);
        Assert.Equal(5, new TaskBudget(new OverlordOptions(), new IngestionOptions { Threads = 5 }, 16384).Threads);
        Assert.Equal(Environment.ProcessorCount, new TaskBudget(new OverlordOptions(), new IngestionOptions(), 16384).Threads);
    }
}
