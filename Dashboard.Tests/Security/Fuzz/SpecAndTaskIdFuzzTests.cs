using System.Diagnostics;
using System.Text.Json.Nodes;
using Dashboard.Core;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Overlord;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Security.Fuzz;

/// <summary>
/// Property-based fuzzing (FsCheck) of the ingestion-spec parser, the task type registry and the task id rules: mutated
/// specs only ever fail with a DruidException (a 400 naming the field, never a 500), and the id rules hold for any text.
/// </summary>
public sealed class SpecAndTaskIdFuzzTests : IAsyncLifetime
{
    private readonly TempDataDir _dir = new();
    private readonly ServiceProvider _services;
    private readonly TaskTypeRegistry _registry;

    public SpecAndTaskIdFuzzTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Overlord:DataDir"] = _dir.Path,
            ["Ingestion:AllowedBaseDirs:0"] = _dir.Path,
        }).Build();
        _services = new ServiceCollection().AddLogging().AddEmbeddedOverlord(configuration).BuildServiceProvider();
        var ingestion = _services.GetRequiredService<IngestionServices>();
        _registry = new TaskTypeRegistry([new NoopTask.Factory(), new IndexParallelTask.Factory(ingestion, "index_parallel"), new IndexParallelTask.Factory(ingestion, "index")],
            TimeProvider.System);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    // The metadata store is only asynchronously disposable.
    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public void MutatedSpecs_ParseOrFailWithADruidException_InTime() =>
        Prop.ForAll(SpecInputs.MutatedSpec(), spec => Holds(spec, () =>
        {
            IngestionSpec.Parse(spec);
            return true;
        })).Check(FuzzInputs.Config(3000));

    [Fact]
    public void MutatedSpecs_BuildATaskWithAValidId_OrFailWithADruidException() =>
        Prop.ForAll(SpecInputs.MutatedSpec(), spec => Holds(spec, () =>
        {
            var task = _registry.CreateAsync(spec, CancellationToken.None).AsTask().GetAwaiter().GetResult();
            _ = task.Payload.ToJsonString();
            _ = task.LockRequests.Count;
            return TaskIds.Check("Task ID", task.Id) is null;
        })).Check(FuzzInputs.Config(3000));

    [Fact]
    public void AnyText_CheckNeverThrows_AndValidateFailsOnlyWithA400NamingTheField() =>
        Prop.ForAll(Arb.From(IdText()), text =>
        {
            var problem = TaskIds.Check("Task ID", text);
            if (problem is null)
            {
                return TaskIds.Validate("Task ID", text) == text;
            }

            var error = Assert.Throws<DruidException>(() => TaskIds.Validate("Task ID", text));
            return error.StatusCode == 400 && problem.StartsWith("Invalid value for field [Task ID]", StringComparison.Ordinal) && error.Message == problem;
        }).Check(FuzzInputs.Config(5000));

    [Fact]
    public void ValidIds_StayValidWithADruidSuffix_AndBreakingARuleMakesThemInvalid() =>
        Prop.ForAll(Arb.From(Gen.NonEmptyListOf(Gen.Elements('a', 'Z', '0', '_', '-', '.', ' ', 'é', '中', '\u00a0')).Select(c => new string(c.ToArray()))
            .Where(t => TaskIds.Check("id", t) is null)), id =>
            TaskIds.Check("id", $"{id}_{TaskIds.RandomSuffix()}") is null
            && TaskIds.Check("id", TaskIds.NewTaskId("index_parallel", id, DateTimeOffset.UnixEpoch)) is null
            && TaskIds.Check("id", "." + id) is not null
            && TaskIds.Check("id", id + "/" + id) is not null
            && TaskIds.Check("id", id + "\t") is not null
            && TaskIds.Check("id", id + "\u0001") is not null).Check(FuzzInputs.Config(3000));

    [Fact]
    public void RandomSuffix_IsEightLettersFromAToP() =>
        Prop.ForAll(Arb.From(Gen.Constant(0)), _ => TaskIds.RandomSuffix() is { Length: 8 } s && s.All(c => c is >= 'a' and <= 'p')).Check(FuzzInputs.Config(2000));

    private static Gen<string> IdText() => Gen.OneOf(
        ArbMap.Default.GeneratorFor<string>().Select(s => s ?? ""),
        Gen.ArrayOf(Gen.Elements('a', 'Z', '0', '_', '-', '.', ' ', '/', '\t', '\n', '\u000B', '\u0001', '\u0085', '\ud800', '\ue000', '\ufff5', 'é', '中'))
            .Select(chars => new string(chars)));

    /// <summary>The property: a DruidException is a pass; any other exception or more than 5 s fails with the spec.</summary>
    private static bool Holds(JsonObject spec, Func<bool> run)
    {
        var watch = Stopwatch.StartNew();
        bool result;
        try
        {
            result = run();
        }
        catch (DruidException)
        {
            result = true;
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"{ex.GetType().Name} for spec {FuzzInputs.Show(spec.ToJsonString())}: {ex.Message}", ex);
        }

        return watch.Elapsed < TimeSpan.FromSeconds(5) ? result : throw new TimeoutException($"{watch.Elapsed} for spec {FuzzInputs.Show(spec.ToJsonString())}");
    }
}
