using System.Text.Json.Nodes;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Tasks;

/// <summary>Resolves a submitted task's <c>type</c> to its factory. Later task types register here too.</summary>
public sealed class TaskTypeRegistry
{
    private readonly Dictionary<string, ITaskFactory> _factories;
    private readonly TimeProvider _time;

    public TaskTypeRegistry(IEnumerable<ITaskFactory> factories, TimeProvider time)
    {
        _factories = factories.ToDictionary(f => f.Type, StringComparer.Ordinal);
        _time = time;
    }

    public IReadOnlyCollection<string> Types => _factories.Keys;

    /// <summary>Builds a task from its JSON, failing the way Druid's Jackson mapper does for a missing or unknown type.</summary>
    public ValueTask<ITask> CreateAsync(JsonObject json, CancellationToken cancellationToken)
    {
        var typeNode = json["type"];
        if (typeNode is null)
        {
            throw DruidException.ErrorMap(400,
                "Missing type id when trying to resolve subtype of [simple type, class org.apache.druid.indexing.common.task.Task]: missing type id property 'type'");
        }

        var type = typeNode is JsonValue v && v.TryGetValue<string>(out var s) ? s : typeNode.ToJsonString();
        if (!_factories.TryGetValue(type, out var factory))
        {
            var known = string.Join(", ", _factories.Keys.Order(StringComparer.Ordinal));
            throw DruidException.ErrorMap(400,
                $"Please make sure to load all the necessary extensions and jars with type '{type}'. " +
                $"Could not resolve type id '{type}' as a subtype of `org.apache.druid.indexing.common.task.Task`: known type ids = [{known}]");
        }

        return factory.CreateAsync(new TaskSpec(type, json, _time.GetUtcNow()), cancellationToken);
    }
}
