using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Dashboard.Core.Overlord;

/// <summary>Starts the embedded overlord (recovering from an unclean stop) and stops it without losing completed work.</summary>
public sealed class OverlordService(
    TaskQueue queue, ISegmentMetadataStore segments, LocalDeepStorage deepStorage, IOptions<OverlordOptions> options, Engine.TaskBudget budget,
    ILogger<OverlordService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var problems = options.Value.Validate().Concat(budget.Problem is { } budgetProblem ? [budgetProblem] : []).ToList();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException("The overlord cannot start: " + string.Join(" ", problems));
        }

        await queue.RecoverAsync(cancellationToken).ConfigureAwait(false);
        deepStorage.Sweep(await segments.GetSegmentPathsAsync(cancellationToken).ConfigureAwait(false));
        logger.LogInformation("Overlord started: data dir {DataDir}, {Capacity} task slots, {TaskMemory} MiB and {Threads} DuckDB threads per task.",
            options.Value.ResolveDataDir(), queue.Capacity, budget.MemoryMiB, budget.Threads);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var stats = queue.Stats;
        if (stats.Waiting + stats.Pending + stats.Running > 0)
        {
            logger.LogWarning("Overlord stopping with {Count} active task(s); they end FAILED.", stats.Waiting + stats.Pending + stats.Running);
        }

        await queue.StopAsync(cancellationToken).ConfigureAwait(false);
    }
}
