using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Model;

/// <summary>One workbench tab: its name, SQL, query context and engine (<see cref="QueryEngines"/>).</summary>
public sealed record QueryTab(string Name, string Sql, JsonObject? Context, string Engine = QueryEngines.Auto);

/// <summary>The engines a tab runs its SQL on, as Druid's console offers them.</summary>
public static class QueryEngines
{
    /// <summary>A SELECT without INSERT/REPLACE runs interactively (<c>/druid/v2/sql</c>, no task); anything else as a task.</summary>
    public const string Auto = "auto";

    /// <summary>Every statement runs as an SQL task (MSQ, <c>/druid/v2/sql/task</c>).</summary>
    public const string Msq = "sql-msq-task";

    public static string Normalise(string? engine) => engine == Msq ? Msq : Auto;
}

/// <summary>The workbench's tabs as kept in the browser's storage: <c>{"active":n,"tabs":[{name,sql,context}]}</c>.</summary>
public static class QueryTabs
{
    public static string Serialize(IReadOnlyList<QueryTab> tabs, int active) => new JsonObject
    {
        ["active"] = active,
        ["tabs"] = new JsonArray(tabs.Select(t => (JsonNode)new JsonObject
        {
            ["name"] = t.Name,
            ["sql"] = t.Sql,
            ["context"] = t.Context?.DeepClone(),
            ["engine"] = t.Engine,
        }).ToArray()),
    }.ToJsonString();

    /// <summary>The stored tabs, or null when nothing (usable) is stored.</summary>
    public static (List<QueryTab> Tabs, int Active)? Parse(string? stored)
    {
        if (string.IsNullOrWhiteSpace(stored))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(stored) is not JsonObject root || root["tabs"] is not JsonArray array)
            {
                return null;
            }

            var tabs = array.OfType<JsonObject>()
                .Select(t => new QueryTab(
                    t["name"]?.GetValue<string>() ?? "Query",
                    t["sql"]?.GetValue<string>() ?? "",
                    t["context"] as JsonObject is { } c ? c.DeepClone().AsObject() : null,
                    QueryEngines.Normalise(t["engine"] is JsonValue e && e.TryGetValue<string>(out var engine) ? engine : null)))
                .ToList();
            if (tabs.Count == 0)
            {
                return null;
            }

            var active = root["active"] is JsonValue v && v.TryGetValue<int>(out var a) ? Math.Clamp(a, 0, tabs.Count - 1) : 0;
            return (tabs, active);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>"Query N" with the smallest N not in use.</summary>
    public static string NextName(IReadOnlyList<QueryTab> tabs)
    {
        for (var n = 1; ; n++)
        {
            var name = $"Query {n}";
            if (tabs.All(t => t.Name != name))
            {
                return name;
            }
        }
    }
}
