using System.Text.Json.Nodes;
using Dashboard.Core.Clients;
using Dashboard.Core.Common;
using Dashboard.Core.Msq.Dialect;
using Dashboard.Core.Overlord;

namespace Dashboard.Core.Msq.Execution;

/// <summary>Plans an SQL-ingestion request and queues its controller task, or answers EXPLAIN with the plan.</summary>
public sealed class MsqSubmitter(MsqPlanner planner, TaskQueue queue)
{
    public async Task<SqlTaskSubmission> SubmitAsync(SqlTaskRequest request, CancellationToken cancellationToken)
    {
        // The controller keeps the query with its parameters bound, so it can be planned again from its payload.
        var sql = SqlParameters.Bind(request.Query, request.Parameters);
        var plan = await planner.PlanAsync(sql, request.Context, cancellationToken);
        var task = new JsonObject
        {
            ["type"] = MsqControllerTask.TypeName,
            ["id"] = plan.ControllerTaskId,
            ["sqlQuery"] = sql,
            ["sqlQueryContext"] = plan.Context.DeepClone(),
            ["context"] = plan.Context.DeepClone(),
        };
        if (plan.Statement.Explain)
        {
            return new SqlTaskSubmission(null, ExplainRow(plan));
        }

        planner.Remember(plan);
        await queue.AddAsync(task, cancellationToken);
        return new SqlTaskSubmission(new SqlTaskStatus(plan.ControllerTaskId, "RUNNING"), null);
    }

    /// <summary>EXPLAIN's row: PLAN (the stages' query), RESOURCES (what it reads and writes), ATTRIBUTES (the statement).</summary>
    private static JsonObject ExplainRow(MsqPlan plan)
    {
        var query = new JsonObject
        {
            ["query"] = new JsonObject
            {
                ["queryType"] = plan.HasGroupBy ? "groupBy" : "scan",
                ["sql"] = plan.Translated.Sql,
                ["columns"] = new JsonArray(plan.Output.Select(c => (JsonNode)c.Name).ToArray()),
            },
            ["signature"] = new JsonArray(plan.Output.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["type"] = c.NativeType }).ToArray()),
            ["columnMappings"] = new JsonArray(plan.Output.Select(c => (JsonNode)new JsonObject { ["queryColumn"] = c.Name, ["outputColumn"] = c.Name }).ToArray()),
        };
        var resources = new JsonArray(plan.Tables.Select(t => (JsonNode)new JsonObject { ["name"] = t.Name, ["type"] = "DATASOURCE" })
            .Concat(plan.Translated.Externs.Select(e => (JsonNode)new JsonObject { ["name"] = e.InputSource["type"]?.GetValue<string>() ?? "EXTERNAL", ["type"] = "EXTERNAL" }))
            .Concat(plan.Statement.Target is { } target ? [new JsonObject { ["name"] = target, ["type"] = "DATASOURCE" }] : [])
            .ToArray());
        var attributes = new JsonObject { ["statementType"] = plan.Statement.Operation };
        if (plan.Statement.Target is { } ds)
        {
            attributes["targetDataSource"] = ds;
            attributes["partitionedBy"] = plan.Statement.PartitionedBy?.ToString();
            if (plan.Statement.ClusteredBy.Count > 0)
            {
                attributes["clusteredBy"] = new JsonArray(plan.Statement.ClusteredBy.Select(c => (JsonNode)c).ToArray());
            }

            if (plan.Statement.Kind == MsqStatementKind.Replace)
            {
                attributes["replaceTimeChunks"] = string.Join(",", plan.ReplaceIntervals.Select(i => i == Interval.Eternity ? "all" : i.ToString()));
            }
        }

        return new JsonObject
        {
            ["PLAN"] = new JsonArray(query).ToJsonString(),
            ["RESOURCES"] = resources.ToJsonString(),
            ["ATTRIBUTES"] = attributes.ToJsonString(),
        };
    }
}
