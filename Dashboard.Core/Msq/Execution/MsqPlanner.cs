using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Ingestion.Sources;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Msq.Dialect;
using Dashboard.Core.Segments;
using Dashboard.Core.Storage;
using DuckDB.NET.Data;

namespace Dashboard.Core.Msq.Execution;

/// <summary>
/// Plans an SQL-ingestion request: parses the Druid statement, translates its SELECT, and binds it with DuckDB against
/// empty tables of the real input schemas, so unknown tables and columns, a __time that is not a TIMESTAMP and duplicate
/// output names are 400s at submission, before any task runs.
/// </summary>
public sealed class MsqPlanner(VisibleSegmentCache segments, InputSourceRules rules, TimeProvider time, Engine.DuckDbSessionFactory sessions)
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, MsqPlan> _justPlanned = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, IReadOnlyList<MsqColumn>> _described = new(StringComparer.Ordinal);

    /// <summary>Remembers a plan the SQL endpoint made so the controller task built from it a moment later need not plan again.</summary>
    public void Remember(MsqPlan plan) => _justPlanned[plan.SqlQueryId] = plan;

    /// <summary>The plan for a controller task: the remembered one for the same query and context, or a new one.</summary>
    public async Task<MsqPlan> PlanForTaskAsync(string sql, JsonObject context, CancellationToken cancellationToken)
    {
        if (context["sqlQueryId"]?.GetValue<string>() is { } id && _justPlanned.TryRemove(id, out var plan) && plan.SqlQuery == sql)
        {
            return plan;
        }

        return await PlanAsync(sql, context, cancellationToken);
    }

    public async Task<MsqPlan> PlanAsync(string sql, JsonObject requestContext, CancellationToken cancellationToken)
    {
        var statement = DruidSqlParser.Parse(sql, requestContext);
        var context = (JsonObject)requestContext.DeepClone();
        foreach (var (key, value) in statement.SetContext)
        {
            context[key] = value?.DeepClone();
        }

        var maxNumTasks = (int)(Number(context, "maxNumTasks") ?? 2);
        if (maxNumTasks < 2)
        {
            throw MsqErrors.Invalid($"MSQ context maxNumTasks [{maxNumTasks}] cannot be less than 2, since at least 1 controller and 1 worker is necessary");
        }

        if (context["finalizeAggregations"] is { } finalizeNode && finalizeNode.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False))
        {
            throw MsqErrors.Invalid($"Context key [finalizeAggregations] must be true or false, got [{finalizeNode.ToJsonString()}].");
        }

        var finalize = context["finalizeAggregations"]?.GetValue<bool>() ?? true;
        if (!finalize)
        {
            MsqRollup.CheckUnfinalized(statement);
        }

        MsqBounds.CheckOverwriteBuckets(statement);
        MsqBounds.MaxRowsInMemory(Number(context, "maxRowsInMemory"));
        var now = time.GetUtcNow();
        var translated = DruidSqlTranslator.Translate(statement.Select, now, statement.TimeZone);
        foreach (var extern_ in translated.Externs)
        {
            await rules.CheckAsync(InputSourceSpec.Parse(extern_.InputSource, "EXTERN inputSource"), cancellationToken);
            InputFormatSpec.Parse(extern_.InputFormat, "EXTERN inputFormat");
            if (extern_.Signature.Count == 0)
            {
                throw MsqErrors.Invalid("EXTERN needs a signature: a third argument with the columns, or EXTEND (name TYPE, ...) after it.");
            }
        }

        var tables = await ResolveTablesAsync(statement, translated, cancellationToken);
        var output = await BindAsync(translated, tables, MsqClusterKeys.Expressions(statement), cancellationToken);
        var sqlQueryId = context["sqlQueryId"]?.GetValue<string>() ?? Guid.NewGuid().ToString();
        context["sqlQueryId"] = sqlQueryId;
        var plan = new MsqPlan(sqlQueryId, sql, statement, translated, tables, output, context, maxNumTasks,
            MsqBounds.RowsPerSegment(Number(context, "rowsPerSegment")), Number(context, "maxParseExceptions") ?? 0,
            context["failOnEmptyInsert"]?.GetValue<bool>() ?? false, now);
        if (!finalize && statement.Kind != MsqStatementKind.Select && plan.HasGroupBy)
        {
            plan = plan with { RollupMetrics = MsqRollup.Metrics(statement, output) };
        }

        if (statement.Kind != MsqStatementKind.Select)
        {
            CheckIngestColumns(output);
            plan = plan with { ClusterKeys = MsqClusterKeys.Resolve(statement, output) };
        }

        return plan;
    }

    /// <summary>
    /// A SELECT for the interactive endpoint (<c>POST /druid/v2/sql</c>): the same parse, translation and resolution of
    /// datasources to visible segments as a task's plan, but no task: INSERT/REPLACE and EXTERN are 400s here.
    /// </summary>
    public async Task<InteractivePlan> PlanInteractiveAsync(string sql, JsonObject requestContext, CancellationToken cancellationToken)
    {
        var statement = DruidSqlParser.Parse(sql, requestContext);
        if (statement.Kind != MsqStatementKind.Select)
        {
            throw MsqErrors.Invalid($"{statement.Operation} operations are not supported by requested SQL engine [native], consider using MSQ: " +
                                    "submit the statement to /druid/v2/sql/task or /druid/v2/sql/statements.");
        }

        if (statement.Explain)
        {
            throw MsqErrors.Invalid("EXPLAIN PLAN FOR is answered by /druid/v2/sql/task on this server: post the same statement there.");
        }

        var translated = DruidSqlTranslator.TranslateWithSystemTables(statement.Select, time.GetUtcNow(), statement.TimeZone);
        if (translated.Externs.Count > 0)
        {
            throw MsqErrors.Invalid("Cannot use [EXTERN] with SQL engine [native]: an interactive SELECT reads datasources only. " +
                                    "Read external data with a task: POST the statement to /druid/v2/sql/task.");
        }

        var tables = await ResolveTablesAsync(statement, translated, cancellationToken);
        return new InteractivePlan(statement, translated, tables) { SystemTables = translated.SystemTables };
    }

    /// <summary>
    /// Each datasource the query reads, with the files of its visible segments; with one datasource read directly by the
    /// top-level SELECT, its WHERE bounds on __time prune the segments to read.
    /// </summary>
    private async Task<List<MsqTableInput>> ResolveTablesAsync(DruidSqlStatement statement, TranslatedQuery translated, CancellationToken cancellationToken)
    {
        var tables = new List<MsqTableInput>();
        var bounds = translated.DataSources.Count == 1 && translated.Externs.Count == 0 ? TimeBounds.Of(statement.Select, statement.TimeZone) : null;
        foreach (var name in translated.DataSources)
        {
            var visible = await segments.GetVisibleAsync(name, cancellationToken);
            if (visible.Count == 0)
            {
                throw MsqErrors.Invalid($"Table [{name}] not found: no datasource of that name has segments.");
            }

            var read = bounds is { } b ? visible.Where(s => s.Interval.Overlaps(b)).ToList() : visible;
            var files = (read.Count > 0 ? read : visible.Take(1)).Select(LocalDeepStorage.PathOf).ToList();
            var columns = await DescribeAsync(files[0], cancellationToken);
            tables.Add(new MsqTableInput(name, "__ds_" + name, files, ReferencedColumns(statement, columns)) { AllColumns = columns });
        }

        IdentifierCase.Check(statement.Select,
            translated.Externs.SelectMany(e => e.Signature.Select(c => c.Name)).Concat(tables.SelectMany(t => t.AllColumns.Select(c => c.Name))));
        return tables;
    }

    /// <summary>
    /// The datasource columns the query can refer to (its words and quoted names, or all of them for a star), so stage 0
    /// reads and hands on only those. Over-inclusion is harmless; a missing column would fail binding at submission.
    /// </summary>
    private static IReadOnlyList<MsqColumn> ReferencedColumns(DruidSqlStatement statement, IReadOnlyList<MsqColumn> columns)
    {
        if (statement.Select.Any(t => t.IsSymbol("*")))
        {
            return columns;
        }

        var names = statement.Select.Where(t => t.Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier).Select(t => t.Name)
            .Concat(MsqClusterKeys.Names(statement)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        names.Add("__time");
        return columns.Where(c => names.Contains(c.Name)).ToList();
    }

    private static void CheckIngestColumns(IReadOnlyList<MsqColumn> output)
    {
        var duplicate = output.GroupBy(c => c.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw MsqErrors.Invalid($"Duplicate field in SELECT: [{duplicate.Key}]");
        }

        var time = output.FirstOrDefault(c => c.Name == "__time");
        if (time is not null && time.SqlType != "TIMESTAMP")
        {
            throw MsqErrors.Invalid($"Field[__time] was the wrong type[{time.SqlType}], expected TIMESTAMP");
        }
    }

    /// <summary>
    /// Binds the translated query against empty tables of the input schemas and returns its output columns; CLUSTERED BY
    /// expressions are bound over that output.
    /// </summary>
    private async Task<IReadOnlyList<MsqColumn>> BindAsync(TranslatedQuery translated, IReadOnlyList<MsqTableInput> tables,
        IReadOnlyList<(string Text, string Sql)> clusterExpressions, CancellationToken cancellationToken)
    {
        await using var db = await sessions.OpenAsync(Engine.DuckDbSessionScope.ForAuxiliary("msq-planner"), cancellationToken);
        var setup = new List<string>();
        setup.AddRange(translated.Externs.Select(e =>
            $"CREATE TABLE {e.View} ({string.Join(", ", e.Signature.Select(c => $"{Sql.Name(c.Name)} {MsqTypes.DuckDbTypeOf(c.Type)}"))})"));
        setup.AddRange(tables.Select(t =>
            $"CREATE TABLE {Sql.Name(t.View)} ({string.Join(", ", t.Columns.Select(c => $"{Sql.Name(c.Name)} {(c.SqlType == "TIMESTAMP" ? "TIMESTAMP" : c.NativeType switch { "LONG" => "BIGINT", "DOUBLE" => "DOUBLE", "FLOAT" => "FLOAT", _ => "VARCHAR" })}"))})"));
        foreach (var statement in setup)
        {
            await using var command = db.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var describe = db.CreateCommand();
            describe.CommandText = $"DESCRIBE {translated.Sql}";
            await using var reader = await describe.ExecuteReaderAsync(cancellationToken);
            var columns = new List<MsqColumn>();
            while (await reader.ReadAsync(cancellationToken))
            {
                columns.Add(MsqTypes.FromDuckDb(reader.GetString(0), reader.GetString(1)));
            }

            foreach (var (text, expression) in clusterExpressions)
            {
                await CheckClusterExpressionAsync(db, translated.Sql, text, expression, cancellationToken);
            }

            return columns;
        }
        catch (DuckDBException ex)
        {
            throw MsqErrors.Invalid(DescribeError(ex.Message));
        }
    }

    private static async Task CheckClusterExpressionAsync(DuckDBConnection db, string query, string text, string expression, CancellationToken cancellationToken)
    {
        try
        {
            await using var describe = db.CreateCommand();
            describe.CommandText = $"DESCRIBE SELECT {expression} FROM ({query}) AS q";
            await using var reader = await describe.ExecuteReaderAsync(cancellationToken);
        }
        catch (DuckDBException ex)
        {
            throw MsqErrors.Invalid($"Invalid CLUSTERED BY clause [{text}]: {DescribeError(ex.Message)}");
        }
    }

    /// <summary>
    /// The columns of a segment file. Segment files are immutable once published, so each is described once (a
    /// session less per interactive query); the cache is emptied past 10,000 files.
    /// </summary>
    private async Task<IReadOnlyList<MsqColumn>> DescribeAsync(string file, CancellationToken cancellationToken)
    {
        if (_described.TryGetValue(file, out var known))
        {
            return known;
        }

        var columns = await DescribeFileAsync(file, cancellationToken);
        if (_described.Count >= 10_000)
        {
            _described.Clear();
        }

        _described[file] = columns;
        return columns;
    }

    private async Task<IReadOnlyList<MsqColumn>> DescribeFileAsync(string file, CancellationToken cancellationToken)
    {
        await using var db = await sessions.OpenAsync(Engine.DuckDbSessionScope.ForAuxiliary("msq-planner") with { Files = [file] }, cancellationToken);
        var sql = $"SELECT * FROM read_parquet({Sql.Literal(file)})";
        await using var command = db.CreateCommand();
        command.CommandText = $"DESCRIBE {sql}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var columns = new List<MsqColumn>();
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(MsqTypes.FromDuckDb(reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>DuckDB's binder and parser messages, first line, with internal view names turned back into the user's names.</summary>
    public static string DescribeError(string message)
    {
        var first = message.Split('\n')[0].Replace("Binder Error: ", "").Replace("Parser Error: ", "").Replace("Catalog Error: ", "");
        return first.Replace("__ds_", "").Replace("__extern_", "EXTERN #");
    }

    private static long? Number(JsonObject context, string key) =>
        context[key] is { } node ? JsonNumbers.TryGetInt64(node, out var value) ? value : throw MsqErrors.Invalid($"Context key [{key}] must be a whole number, got [{node.ToJsonString()}].") : null;
}
