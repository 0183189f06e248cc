using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Engine;
using Dashboard.Core.Ingestion.Spec;
using Dashboard.Core.Segments;
using DuckDB.NET.Data;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>
/// Native batch ingestion on an embedded DuckDB: reads the input, parses and classifies every row (processed,
/// unparseable, thrown away, processed with error) while counting them live, applies transforms, filter, intervals and
/// rollup, and writes one sorted zstd Parquet file per time chunk and partition into the task's staging folder.
/// </summary>
public sealed class DuckDbIngestionEngine(DuckDbSessionFactory sessions, Microsoft.Extensions.Options.IOptions<Dashboard.Core.Overlord.OverlordOptions> overlord, TimeProvider time)
{
    private const int Processed = 0, Unparseable = 1, ThrownAway = 2, ProcessedWithError = 3;

    public async Task<IngestionResult> RunAsync(IngestionJob job, CancellationToken cancellationToken)
    {
        var scope = Scope(job);
        try
        {
            return await RunSealedAsync(job, scope, cancellationToken);
        }
        catch (DuckDBException ex) when (TaskBudget.IsOutOfMemory(ex) && !cancellationToken.IsCancellationRequested)
        {
            return new IngestionResult(job.Counters.Snapshot(), [], [], sessions.Budget.OverBudgetMessage(sessions.MemoryLimitMiB(scope), ex.Message));
        }
        catch (TooManyTimeChunksException ex)
        {
            return new IngestionResult(job.Counters.Snapshot(), [], [],
                $"The rows fall in more than {ex.MaxTimeChunks:N0} time chunks at segmentGranularity [{job.Spec.DataSchema.GranularitySpec.SegmentGranularity.Name}] " +
                "(Overlord:MaxTimeChunks); nothing was written. Use a coarser segmentGranularity, filter the rows, or raise Overlord:MaxTimeChunks.");
        }
    }

    /// <summary>What the task's session may touch: its input files, its work folder (decompressed inputs, spill) and its staging folder.</summary>
    private DuckDbSessionScope Scope(IngestionJob job) => DuckDbSessionScope.ForTask("ingestion") with
    {
        Files = job.Files.Select(f => f.Path).ToList(),
        Directories = [job.WorkDir, job.StagingDir],
        TempDirectory = Path.Combine(job.WorkDir, "spill"),
        MemoryLimitMiB = sessions.Budget.ForMaxRowsInMemory(job.Spec.TuningConfig.MaxRowsInMemory),
        PreserveInsertionOrder = false,
    };

    private async Task<IngestionResult> RunSealedAsync(IngestionJob job, DuckDbSessionScope scope, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(job.StagingDir);
        // Gzip inputs are decompressed on a pool thread while DuckDB starts up on this one.
        var files = job.Files;
        var decompressing = Task.Run(async () =>
        {
            var clock = Stopwatch.StartNew();
            var prepared = await PlainInputs.PrepareAsync(files, job.WorkDir, cancellationToken);
            return (prepared.Files, prepared.Bytes, clock.ElapsedMilliseconds);
        }, cancellationToken);
        DuckDBConnection db;
        try
        {
            db = await sessions.OpenAsync(scope, cancellationToken);
            RegisterCounter(db, job.Counters);
        }
        catch
        {
            // Let the copy finish (or fail) before the work folder can be swept.
            await Task.WhenAny(decompressing);
            throw;
        }

        await using var session = db;
        var (plainFiles, bytes, decompressMs) = await decompressing;
        if (plainFiles.Where((f, i) => f.Path != files[i].Path).Any())
        {
            await job.LogAsync($"Decompressed the gzip input(s) in {decompressMs} ms.");
            job = job with { Files = plainFiles };
        }

        var spec = job.Spec;
        var schema = spec.DataSchema;
        var format = spec.IoConfig.InputFormat;
        var phase = Stopwatch.StartNew();
        var parquet = format.IsParquet ? await ParquetInput.ReadAsync(db, job.Files, format, cancellationToken) : null;
        if (parquet is not null)
        {
            await job.LogAsync($"Read the Parquet footer(s) of {job.Files.Count} file(s) in {phase.ElapsedMilliseconds} ms: {parquet.Rows:N0} rows, fields " +
                               string.Join(", ", parquet.Fields.Select(f => $"{f.Key} ({f.Value.DuckType})")));
        }

        // CSV/TSV with findColumnsFromHeader: every file's own header, as Druid reads them; the columns are their union.
        var fileHeaders = parquet is null && format.Type != "json" && format.Columns.Count == 0 ? await ReadCsvHeadersAsync(db, job, cancellationToken) : null;
        var header = parquet is not null ? parquet.Fields.Keys.ToList()
            : fileHeaders is not null ? fileHeaders.SelectMany(h => h).Distinct(StringComparer.Ordinal).ToList() : format.Columns.ToList();
        var paths = job.Files.Select(f => f.Path).ToList();
        phase.Restart();
        var columns = await IngestionColumns.PlanAsync(db, spec, header, paths, cancellationToken, parquet?.Discovered);
        await job.LogAsync($"Planned {columns.Dimensions.Count} dimension(s) and {spec.DataSchema.Metrics.Count} metric(s) in {phase.ElapsedMilliseconds} ms: " +
                           string.Join(", ", columns.Dimensions.Select(d => $"{d.Name} ({d.Type})")));

        phase.Restart();
        var json = format.Type == "json";
        var mode = json ? ClassifyMode.JsonFast : parquet is not null ? ClassifyMode.Parquet : ClassifyMode.Csv;
        await db.ExecuteAsync( $"CREATE TEMP TABLE classified AS {ClassifySql(job, columns, header, mode, parquet, fileHeaders)}", cancellationToken);
        await job.LogAsync($"Read and classified {job.Counters.Snapshot().Processed + job.Counters.Snapshot().ThrownAway + job.Counters.Snapshot().Unparseable:N0} rows in {phase.ElapsedMilliseconds} ms.");

        job.Counters.Add(0, 0, 0, 0, bytes);
        var rejected = mode != ClassifyMode.Csv ? RowStats.Zero : await CountCsvRejectsAsync(db, job, cancellationToken);
        job.Counters.Add(rejected with { ProcessedBytes = 0 });
        var stats = (await ReadStatsAsync(db, job.Counters, cancellationToken)).Add(rejected) with { ProcessedBytes = bytes };
        phase.Restart();
        var needsErrorDetails = json && await NeedsErrorDetailsAsync(db, job, columns, stats, cancellationToken);
        if (json)
        {
            await job.LogAsync($"Checked for values that did not convert in {phase.ElapsedMilliseconds} ms.");
        }

        if (needsErrorDetails)
        {
            // The fast pass keeps no line numbers or text; a second, slower pass finds the rows behind the errors.
            phase.Restart();
            await db.ExecuteAsync( $"CREATE TEMP TABLE errors AS {ClassifySql(job, columns, header, ClassifyMode.JsonErrors, null)}", cancellationToken);
            var withError = await db.ScalarLongAsync( $"SELECT count(*) FROM errors WHERE __class = {ProcessedWithError}", cancellationToken);
            job.Counters.Add(-withError, 0, 0, withError, 0);
            stats = stats with { Processed = stats.Processed - withError, ProcessedWithError = withError };
            await job.LogAsync($"Looked up the rows behind parse errors in {phase.ElapsedMilliseconds} ms.");
        }

        var exceptions = await ReadParseExceptionsAsync(db, job, !json, mode == ClassifyMode.Csv, cancellationToken);
        var errors = stats.Unparseable + stats.ProcessedWithError;
        if (errors > spec.TuningConfig.MaxParseExceptions)
        {
            var last = await ReadLastParseExceptionAsync(db, job, !json, mode == ClassifyMode.Csv, cancellationToken);
            return new IngestionResult(stats, exceptions.Take(spec.TuningConfig.MaxSavedParseExceptions).ToList(), [],
                $"Max parse exceptions [{spec.TuningConfig.MaxParseExceptions}] exceeded: {errors} rows could not be parsed. Last error: {last}");
        }

        if (spec.TuningConfig.LogParseExceptions)
        {
            foreach (var e in exceptions.Take(1000))
            {
                await job.LogAsync($"Parse exception: {e.Message}");
            }
        }

        phase.Restart();
        var segments = await WriteSegmentsAsync(db, job, columns, cancellationToken);
        await job.LogAsync($"Wrote {segments.Count} segment file(s), {segments.Sum(s => s.Segment.Size) / 1048576.0:F1} MiB, in {phase.ElapsedMilliseconds} ms.");
        return new IngestionResult(stats, exceptions.Take(spec.TuningConfig.MaxSavedParseExceptions).ToList(), segments, null);
    }

    private static void RegisterCounter(DuckDBConnection db, LiveRowStats counters) =>
        db.RegisterScalarFunction<int, long, int>("__count_row", (readers, writer, rowCount) =>
        {
            Span<long> classes = stackalloc long[4];
            long bytes = 0;
            for (ulong i = 0; i < rowCount; i++)
            {
                var cls = readers[0].GetValue<int>(i);
                classes[cls]++;
                bytes += readers[1].GetValue<long>(i);
                writer.WriteValue(cls, i);
            }

            counters.Add(classes[Processed], classes[Unparseable], classes[ThrownAway], classes[ProcessedWithError], bytes);
        }, new ScalarFunctionOptions { IsPureFunction = false });

    /// <summary>How a classification pass reads and what it keeps.</summary>
    private enum ClassifyMode
    {
        /// <summary>CSV/TSV: values as text, line numbers and error details kept for bad rows; counted live.</summary>
        Csv,

        /// <summary>JSON, fast: read_json types the values; no line numbers or text kept; counted live.</summary>
        JsonFast,

        /// <summary>JSON, second pass: values as text with record numbers, keeping only the bad rows; not counted.</summary>
        JsonErrors,

        /// <summary>Parquet: the fields as text (as CSV reads them), row numbers kept for bad rows; counted live.</summary>
        Parquet,
    }

    /// <summary>
    /// One pass over the input: parse, type, transform, filter and classify every row (processed, unparseable, thrown
    /// away, processed with error). The live passes count rows through <c>__count_row</c> and keep the rows to write
    /// with their query-granularity time and time chunk; thrown-away rows are counted, not kept.
    /// </summary>
    private string ClassifySql(IngestionJob job, IngestionColumns columns, IReadOnlyList<string> header, ClassifyMode mode, ParquetInput? parquet,
        IReadOnlyList<IReadOnlyList<string>>? fileHeaders = null)
    {
        var schema = job.Spec.DataSchema;
        var typedRead = mode == ClassifyMode.JsonFast;
        var fields = columns.InputFields;
        string Raw(string name) => fields.ContainsKey(name) && (mode != ClassifyMode.Csv || header.Contains(name)) ? Sql.Name(name) : "CAST(NULL AS VARCHAR)";
        // listDelimiter (CSV/TSV) makes string dimensions multi-value: stored as lists, a value without the delimiter as a list of one.
        var listDelimiter = mode == ClassifyMode.Csv ? job.Spec.IoConfig.InputFormat.ListDelimiter : null;
        var dimensionNames = columns.Dimensions.Where(d => d.Type == "string").Select(d => d.Name).ToHashSet();
        var typed = fields.ToDictionary(f => f.Key, f =>
            typedRead ? Raw(f.Key)
            : listDelimiter is not null && dimensionNames.Contains(f.Key) ? $"string_split({Raw(f.Key)}, {Sql.Literal(listDelimiter)})"
            : Typed(Raw(f.Key), f.Value));
        var numeric = typedRead ? [] : fields.Where(f => f.Value is "long" or "float" or "double").Select(f => f.Key).ToList();
        var error = numeric.Count == 0 ? "false" : string.Join(" OR ", numeric.Select(n => $"({Raw(n)} IS NOT NULL AND {typed[n]} IS NULL)"));
        var errorFields = numeric.Count == 0
            ? "CAST(NULL AS VARCHAR)"
            : $"concat_ws(', ', {string.Join(", ", numeric.Select(n => $"CASE WHEN {Raw(n)} IS NOT NULL AND {typed[n]} IS NULL THEN {Sql.Literal($"{n}[")} || {Raw(n)} || ']' END"))})";
        var ts = typedRead && IsTypedTimestamp(schema.TimestampSpec)
            ? TypedTimestampSql(schema.TimestampSpec, Raw(schema.TimestampSpec.Column))
            : TimestampSql(schema.TimestampSpec, Raw(schema.TimestampSpec.Column));

        var sb = new StringBuilder();
        sb.Append("WITH src AS (").Append(parquet is not null ? parquet.SourceSql(job.Files, job.Spec.IoConfig.InputFormat, fields.Keys) : SourceSql(job, header, mode, fields, fileHeaders)).Append("), ");
        sb.Append($"t AS (SELECT __file, __line, __raw, {ts} AS __ts, CAST({Raw(schema.TimestampSpec.Column)} AS VARCHAR) AS __ts_raw, ({error}) AS __err, {errorFields} AS __err_fields");
        foreach (var (name, sql) in typed)
        {
            sb.Append($", {sql} AS {Sql.Name(name)}");
        }

        sb.Append(" FROM src), ");
        string Column(string name) => name == "__time" ? "epoch_ms(__ts)" : Sql.Name(name);
        sb.Append("x AS (SELECT *");
        foreach (var transform in schema.TransformSpec.Transforms)
        {
            sb.Append($", {DruidExpressionSql.Translate(transform.Expression, Column)} AS {Sql.Name("__tf_" + transform.Name)}");
        }

        sb.Append(" FROM t), ");
        var outputs = OutputFields(schema, columns);
        var filterFields = FilterFields(schema).Where(f => !outputs.Contains(f)).Distinct().ToList();
        var transformNames = schema.TransformSpec.Transforms.Select(t => t.Name).ToHashSet();
        string Output(string name)
        {
            if (!transformNames.Contains(name))
            {
                return fields.ContainsKey(name) ? Sql.Name(name) : "CAST(NULL AS VARCHAR)";
            }

            var type = columns.Dimensions.FirstOrDefault(d => d.Name == name)?.Type
                       ?? schema.Metrics.FirstOrDefault(m => m.FieldName == name)?.ValueType ?? "string";
            return Typed($"CAST({Sql.Name("__tf_" + name)} AS VARCHAR)", type);
        }

        sb.Append("y AS (SELECT __file, __line, __raw, __ts, __ts_raw, __err, __err_fields");
        foreach (var name in outputs.Concat(filterFields))
        {
            sb.Append($", {Output(name)} AS {Sql.Name(name)}");
        }

        sb.Append(" FROM x), ");
        var filter = schema.TransformSpec.Filter is { } f ? FilterSql.Translate(f, Sql.Name) : "true";
        var intervals = schema.GranularitySpec.Intervals.Count == 0
            ? "true"
            : string.Join(" OR ", schema.GranularitySpec.Intervals.Select(i => $"(__ts >= {Sql.Timestamp(i.Start)} AND __ts < {Sql.Timestamp(i.End)})"));
        var classify = $"CASE WHEN __ts IS NULL THEN {Unparseable} WHEN NOT coalesce({filter}, false) OR NOT ({intervals}) THEN {ThrownAway} " +
                       $"WHEN __err THEN {ProcessedWithError} ELSE {Processed} END";
        if (mode == ClassifyMode.JsonErrors)
        {
            sb.Append($"z AS (SELECT *, {classify} AS __class FROM y) ");
            sb.Append($"SELECT __file, __line, __class, CASE WHEN __class = {Unparseable} THEN coalesce(__ts_raw, 'null') END AS __bad_ts, __err_fields ");
            sb.Append($"FROM z WHERE __class IN ({Unparseable}, {ProcessedWithError})");
            return sb.ToString();
        }

        sb.Append($"z AS (SELECT *, __count_row({classify}, 0) AS __class FROM y) ");
        var time = schema.GranularitySpec.QueryGranularity.ToSql("date_trunc('millisecond', __ts)");
        sb.Append("SELECT __class, __file, ");
        if (mode is ClassifyMode.Csv or ClassifyMode.Parquet)
        {
            sb.Append($"__line, CASE WHEN __class IN ({Unparseable}, {ProcessedWithError}) THEN __raw END AS __raw, ");
            sb.Append($"CASE WHEN __class = {Unparseable} THEN coalesce(__ts_raw, 'null') END AS __bad_ts, __err_fields, ");
        }

        sb.Append($"{time} AS __time, {schema.GranularitySpec.SegmentGranularity.ToSql(time)} AS __chunk");
        foreach (var name in outputs)
        {
            sb.Append($", {Sql.Name(name)}");
        }

        sb.Append($" FROM z WHERE __class <> {ThrownAway}");
        return sb.ToString();
    }

    /// <summary>
    /// True when the fast JSON pass cannot tell the whole story: unparseable rows whose details must be shown, or kept
    /// rows with a null number, which may be a value that did not convert (read_json turns those into nulls).
    /// </summary>
    private static async Task<bool> NeedsErrorDetailsAsync(DuckDBConnection db, IngestionJob job, IngestionColumns columns, RowStats stats,
        CancellationToken cancellationToken)
    {
        var tuning = job.Spec.TuningConfig;
        if (stats.Unparseable > 0 && (tuning.MaxSavedParseExceptions > 0 || tuning.LogParseExceptions || stats.Unparseable > tuning.MaxParseExceptions))
        {
            return true;
        }

        var numeric = NumericOutputs(job.Spec.DataSchema, columns);
        if (numeric.Count == 0)
        {
            return false;
        }

        // Which numeric outputs hold a null in a kept row (one scan of the in-memory table, not of the input).
        var withNull = new List<string>();
        await using (var command = db.CreateCommand())
        {
            command.CommandText = $"SELECT {string.Join(", ", numeric.Select(n => $"bool_or({Sql.Name(n)} IS NULL)"))} FROM classified WHERE __class = {Processed}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            withNull.AddRange(numeric.Where((_, i) => !reader.IsDBNull(i) && reader.GetBoolean(i)));
        }

        if (withNull.Count == 0)
        {
            return false;
        }

        // A value that does not convert is null when read typed but not as text: one scan, as text, counts both. A long
        // field that read_json typed without a null cannot hold one (whatever read_json turns into a BIGINT, text
        // conversion does too), so only long fields with nulls are read; double and float fields always are (read_json
        // types true as 1.0, which the text conversion does not take).
        var suspects = numeric.Where(n => columns.InputFields[n] != "long" || withNull.Contains(n)).ToList();
        var files = "[" + string.Join(", ", job.Files.Select(f => Sql.Literal(f.Path))) + "]";
        var lost = string.Join(" + ", suspects.Select(n => $"(count({Sql.Name(n)}) - count({Typed(Sql.Name(n), columns.InputFields[n])}))"));
        var textColumns = string.Join(", ", suspects.Select(n => $"{Sql.Literal(n)}: 'VARCHAR'"));
        // records='true': with a single column read_json would otherwise sample the file and may read whole lines as the value.
        return await db.ScalarLongAsync($"SELECT {lost} FROM read_json({files}, format='newline_delimited', compression='uncompressed', records='true', columns={{{textColumns}}}, " +
                                        "ignore_errors=true, maximum_object_size=16777216)", cancellationToken) > 0;
    }

    private static List<string> NumericOutputs(DataSchema schema, IngestionColumns columns)
    {
        var outputs = OutputFields(schema, columns);
        return columns.InputFields.Where(f => f.Value is "long" or "float" or "double" && outputs.Contains(f.Key)).Select(f => f.Key).ToList();
    }

    private static List<string> OutputFields(DataSchema schema, IngestionColumns columns) =>
        columns.Dimensions.Select(d => d.Name).Concat(schema.Metrics.Where(m => m.FieldName is not null).Select(m => m.FieldName!)).Distinct().ToList();

    private static IEnumerable<string> FilterFields(DataSchema schema) =>
        schema.TransformSpec.Filter is { } f ? FilterSql.Dimensions(f).Where(d => d != "__time") : [];

    private static string SourceSql(IngestionJob job, IReadOnlyList<string> header, ClassifyMode mode, IReadOnlyDictionary<string, string> fields,
        IReadOnlyList<IReadOnlyList<string>>? fileHeaders)
    {
        var format = job.Spec.IoConfig.InputFormat;
        var parts = job.Files.Select((file, i) =>
        {
            var path = Sql.Literal(file.Path);
            switch (mode)
            {
                case ClassifyMode.JsonFast:
                    // read_json keeps a malformed line as a row of nulls (so it is counted unparseable) and skips blank lines.
                    var typedColumns = "{" + string.Join(", ", fields.Select(f => $"{Sql.Literal(f.Key)}: {Sql.Literal(JsonReadType(job.Spec, f.Key, f.Value))}")) + "}";
                    return $"SELECT {i} AS __file, CAST(NULL AS BIGINT) AS __line, CAST(NULL AS VARCHAR) AS __raw, * " +
                           $"FROM read_json({path}, format='newline_delimited', compression='uncompressed', records='true', columns={typedColumns}, ignore_errors=true, maximum_object_size=16777216)";
                case ClassifyMode.JsonErrors:
                    // WITH ORDINALITY numbers records as they stream (read_json skips blank lines, so record numbers are not line numbers).
                    var textColumns = "{" + string.Join(", ", fields.Select(f => $"{Sql.Literal(f.Key)}: 'VARCHAR'")) + "}";
                    return $"SELECT {i} AS __file, ordinality AS __line, CAST(NULL AS VARCHAR) AS __raw, * EXCLUDE (ordinality) " +
                           $"FROM read_json({path}, format='newline_delimited', compression='uncompressed', records='true', columns={textColumns}, ignore_errors=true, maximum_object_size=16777216) WITH ORDINALITY";
                default:
                    var own = fileHeaders?[i] ?? header;
                    var columns = "{" + string.Join(", ", own.Select(h => $"{Sql.Literal(h)}: 'VARCHAR'")) + "}";
                    var select = header.Select(h => own.Contains(h) ? Sql.Name(h) : $"CAST(NULL AS VARCHAR) AS {Sql.Name(h)}");
                    var skip = format.SkipHeaderRows + (format.FindColumnsFromHeader ? 1 : 0);
                    var delimiter = Sql.Literal(format.Delimiter);
                    return $"SELECT {i} AS __file, ordinality + {skip} AS __line, concat_ws({delimiter}, {string.Join(", ", own.Select(Sql.Name))}) AS __raw, " +
                           $"{string.Join(", ", select)} FROM read_csv({path}, columns={columns}, header=false, compression='none', skip={skip}, delim={delimiter}, " +
                           $"auto_detect=false, store_rejects=true, rejects_table='__rejects_{i}', rejects_scan='__scan_{i}') WITH ORDINALITY";
            }
        });
        return string.Join(" UNION ALL ", parts);
    }

    private static async Task<IReadOnlyList<IReadOnlyList<string>>> ReadCsvHeadersAsync(DuckDBConnection db, IngestionJob job, CancellationToken cancellationToken)
    {
        var format = job.Spec.IoConfig.InputFormat;
        var headers = new List<IReadOnlyList<string>>(job.Files.Count);
        foreach (var file in job.Files)
        {
            await using var command = db.CreateCommand();
            command.CommandText = $"DESCRIBE SELECT * FROM read_csv({Sql.Literal(file.Path)}, header=true, compression='none', skip={format.SkipHeaderRows}, " +
                                  $"delim={Sql.Literal(format.Delimiter)}, all_varchar=true)";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var names = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                names.Add(reader.GetString(0));
            }

            headers.Add(names);
        }

        return headers;
    }

    private static async Task<RowStats> CountCsvRejectsAsync(DuckDBConnection db, IngestionJob job, CancellationToken cancellationToken)
    {
        long count = 0, bytes = 0;
        for (var i = 0; i < job.Files.Count; i++)
        {
            await using var command = db.CreateCommand();
            command.CommandText = $"SELECT count(*), CAST(coalesce(sum(strlen(csv_line) + 1), 0) AS BIGINT) FROM __rejects_{i}";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            count += reader.GetInt64(0);
            bytes += Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
        }

        return new RowStats(0, bytes, 0, 0, count);
    }

    /// <summary>Exact counts: kept rows from the classified table, thrown-away rows (not kept) from the live counter.</summary>
    private static async Task<RowStats> ReadStatsAsync(DuckDBConnection db, LiveRowStats counters, CancellationToken cancellationToken)
    {
        await using var command = db.CreateCommand();
        command.CommandText = $"SELECT count(*) FILTER (WHERE __class = {Processed}), count(*) FILTER (WHERE __class = {ProcessedWithError}), " +
                              $"count(*) FILTER (WHERE __class = {Unparseable}) FROM classified";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RowStats(reader.GetInt64(0), 0, reader.GetInt64(1), counters.Snapshot().ThrownAway, reader.GetInt64(2));
    }

    private async Task<List<ParseExceptionReport>> ReadParseExceptionsAsync(DuckDBConnection db, IngestionJob job, bool csv, bool rejects, CancellationToken cancellationToken)
    {
        var limit = Math.Max(job.Spec.TuningConfig.MaxSavedParseExceptions, job.Spec.TuningConfig.LogParseExceptions ? 1000 : 0);
        return limit == 0 ? [] : await QueryParseExceptionsAsync(db, job, csv, rejects, descending: false, limit, cancellationToken);
    }

    private async Task<string> ReadLastParseExceptionAsync(DuckDBConnection db, IngestionJob job, bool csv, bool rejects, CancellationToken cancellationToken) =>
        (await QueryParseExceptionsAsync(db, job, csv, rejects, descending: true, 1, cancellationToken)).FirstOrDefault()?.Message ?? "none recorded";

    /// <summary>
    /// The saved parse exceptions. <paramref name="csv"/>: the classified table keeps the bad rows with their line
    /// numbers (CSV, TSV, Parquet); <paramref name="rejects"/>: DuckDB's CSV rejects tables add the malformed lines.
    /// </summary>
    private async Task<List<ParseExceptionReport>> QueryParseExceptionsAsync(DuckDBConnection db, IngestionJob job, bool csv, bool rejects, bool descending, int limit,
        CancellationToken cancellationToken)
    {
        var direction = descending ? "DESC" : "ASC";
        var order = $"ORDER BY __file {direction}, record {direction} LIMIT {limit}";
        // kind: 'row' (not a JSON object), 'timestamp' (no parseable time), 'field' (a value of the wrong type), 'csv' (a malformed line).
        if (!csv && await db.ScalarLongAsync( "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'errors'", cancellationToken) == 0)
        {
            return [];
        }

        var errors = new StringBuilder(
            $"SELECT __file, __line AS record, {(csv ? "__raw" : "CAST(NULL AS VARCHAR) AS __raw")}, CASE WHEN __class = {ProcessedWithError} THEN 'field' ELSE 'timestamp' END AS kind, " +
            $"coalesce(__bad_ts, __err_fields) AS detail FROM {(csv ? "classified" : "errors")} WHERE __class IN ({Unparseable}, {ProcessedWithError})");
        if (rejects)
        {
            for (var i = 0; i < job.Files.Count; i++)
            {
                errors.Append($" UNION ALL SELECT {i}, line, csv_line, 'csv', error_message FROM __rejects_{i}");
            }
        }

        string sql;
        if (csv)
        {
            sql = $"SELECT __file, record AS line, record, __raw, kind, detail FROM ({errors}) {order}";
        }
        else
        {
            // JSON rows carry their record number; their text and line number come from a second read of only the files with errors.
            var lines = string.Join(" UNION ALL ", job.Files.Select((f, i) =>
                $"SELECT {i} AS file, row_number() OVER (ORDER BY ordinality) AS record, ordinality AS line, line AS text FROM " +
                $"read_csv({Sql.Literal(f.Path)}, columns={{'line':'VARCHAR'}}, header=false, compression='none', delim=E'\\x01', quote='', escape='', auto_detect=false) WITH ORDINALITY " +
                $"WHERE trim(coalesce(line, '')) <> '' AND {i} IN (SELECT __file FROM e)"));
            var timeField = Sql.Literal("$." + System.Text.Json.JsonSerializer.Serialize(job.Spec.DataSchema.TimestampSpec.Column));
            sql = $"WITH e AS (SELECT * FROM ({errors}) {order}), l AS ({lines}) " +
                  $"SELECT e.__file, coalesce(l.line, e.record), e.record, coalesce(l.text, ''), CASE WHEN e.kind = 'timestamp' AND NOT coalesce(json_valid(l.text), false) THEN 'row' ELSE e.kind END, " +
                  $"CASE WHEN e.kind = 'timestamp' AND json_valid(l.text) THEN coalesce(json_extract_string(l.text, {timeField}), 'null') ELSE e.detail END " +
                  $"FROM e LEFT JOIN l ON l.file = e.__file AND l.record = e.record ORDER BY e.__file {direction}, e.record {direction}";
        }

        await using var command = db.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var list = new List<ParseExceptionReport>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        while (await reader.ReadAsync(cancellationToken))
        {
            var file = job.Files[reader.GetInt32(0)].DisplayName;
            var line = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            var record = Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture);
            var input = reader.IsDBNull(3) ? "" : reader.GetString(3);
            var kind = reader.GetString(4);
            var detail = reader.IsDBNull(5) ? "" : reader.GetString(5);
            var where = $"(Path: {file}, Record: {record}, Line: {line})";
            var message = kind switch
            {
                "field" => $"Unable to parse value(s) for field(s) {detail} {where}",
                "timestamp" => $"Timestamp[{detail}] is unparseable! Event: {Shorten(input)} {where}",
                "csv" => $"Unable to parse row [{Shorten(input)}]: {detail} {where}",
                _ => $"Unable to parse row [{Shorten(input)}] {where}",
            };
            list.Add(new ParseExceptionReport(input, kind == "field" ? "processedWithError" : "unparseable", message, now));
        }

        return list;
    }

    private static string Shorten(string input) => input.Length > 512 ? input[..512] + "..." : input;

    /// <summary>The rows to write: a view over the classified rows, or, with rollup, a table of the rolled-up rows.</summary>
    private static string FinalSql(DataSchema schema, IngestionColumns columns)
    {
        var dims = columns.Dimensions.Select(d => Sql.Name(d.Name)).ToList();
        var rollup = schema.GranularitySpec.Rollup;
        var metrics = schema.Metrics.Select(m => $"{MetricSql(m, rollup)} AS {Sql.Name(m.Name)}");
        var select = string.Join(", ", new[] { "__time", "__chunk" }.Concat(dims).Concat(metrics));
        var rows = $"SELECT {select} FROM classified WHERE __class IN ({Processed}, {ProcessedWithError})";
        return rollup ? $"CREATE TEMP TABLE final AS {rows} GROUP BY ALL" : $"CREATE TEMP VIEW final AS {rows}";
    }

    private static string MetricSql(MetricSpec metric, bool rollup)
    {
        var field = metric.FieldName is null ? "NULL" : Sql.Name(metric.FieldName);
        var cast = metric.ValueType switch { "long" => "BIGINT", "float" => "FLOAT", _ => "DOUBLE" };
        if (!rollup)
        {
            return metric.Type == "count" ? "CAST(1 AS BIGINT)" : $"CAST({field} AS {cast})";
        }

        return metric.Type switch
        {
            "count" => "CAST(count(*) AS BIGINT)",
            "longSum" or "doubleSum" or "floatSum" => $"CAST(coalesce(sum({field}), 0) AS {cast})",
            "longMin" or "doubleMin" or "floatMin" => $"CAST(min({field}) AS {cast})",
            _ => $"CAST(max({field}) AS {cast})",
        };
    }

    private async Task<List<StagedSegment>> WriteSegmentsAsync(DuckDBConnection db, IngestionJob job, IngestionColumns columns, CancellationToken cancellationToken)
    {
        var schema = job.Spec.DataSchema;
        await db.ExecuteAsync( FinalSql(schema, columns), cancellationToken);
        var dims = columns.Dimensions.Select(d => d.Name).ToList();
        return await SegmentFileWriter.WriteAsync(db, new SegmentWriteRequest("final", schema.DataSource, schema.GranularitySpec.SegmentGranularity,
            dims, schema.Metrics.Select(m => m.Name).ToList(), ["__time", .. dims], job.Spec.TuningConfig.MaxRowsPerSegment, job.StagingDir,
            job.AllocateAsync, job.FinalPath, job.BeforeWritingAsync) { MaxTimeChunks = overlord.Value.MaxTimeChunks }, cancellationToken);
    }

    private static string Typed(string raw, string type) => type switch
    {
        "long" => $"coalesce(TRY_CAST({raw} AS BIGINT), CASE lower({raw}) WHEN 'true' THEN 1 WHEN 'false' THEN 0 END, TRY_CAST(trunc(TRY_CAST({raw} AS DOUBLE)) AS BIGINT))", // TRY: a whole number past 64 bits is a parse error, not a crash
        "double" => $"TRY_CAST({raw} AS DOUBLE)",
        "float" => $"TRY_CAST({raw} AS FLOAT)",
        _ => raw,
    };

    /// <summary>read_json parses ISO times itself (fast); other formats are read as text and parsed here.</summary>
    private static bool IsTypedTimestamp(TimestampSpec spec) => spec.Format.Equals("iso", StringComparison.OrdinalIgnoreCase);

    private static string TypedTimestampSql(TimestampSpec spec, string raw) =>
        spec.MissingValue is { } missing ? $"coalesce(CAST({raw} AS TIMESTAMP), {Sql.Timestamp(missing)})" : $"CAST({raw} AS TIMESTAMP)";

    private static string JsonReadType(IngestionSpec spec, string field, string type)
    {
        if (field == spec.DataSchema.TimestampSpec.Column)
        {
            return IsTypedTimestamp(spec.DataSchema.TimestampSpec) ? "TIMESTAMPTZ" : "VARCHAR";
        }

        return type switch { "long" => "BIGINT", "double" => "DOUBLE", "float" => "FLOAT", _ => "VARCHAR" };
    }

    private static string TimestampSql(TimestampSpec spec, string raw)
    {
        var parsed = spec.Format.ToLowerInvariant() switch
        {
            "iso" => $"CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS TIMESTAMP)",
            "auto" => $"coalesce(CAST(TRY_CAST({raw} AS TIMESTAMPTZ) AS TIMESTAMP), epoch_ms(TRY_CAST({raw} AS BIGINT)))",
            "millis" => $"epoch_ms(TRY_CAST({raw} AS BIGINT))",
            "posix" => $"make_timestamp(CAST(TRY_CAST({raw} AS DOUBLE) * 1000000 AS BIGINT))",
            "micro" => $"make_timestamp(TRY_CAST({raw} AS BIGINT))",
            "nano" => $"make_timestamp(TRY_CAST({raw} AS BIGINT) // 1000)",
            "ruby" => $"make_timestamp(CAST(TRY_CAST({raw} AS DOUBLE) * 1000000 AS BIGINT))",
            _ => $"CAST(try_strptime({raw}, {Sql.Literal(JodaPattern.ToStrptime(spec.Format))}) AS TIMESTAMP)",
        };
        return spec.MissingValue is { } missing ? $"CASE WHEN {raw} IS NULL THEN {Sql.Timestamp(missing)} ELSE {parsed} END" : parsed;
    }

    private static string JsonString(string value) => System.Text.Json.JsonSerializer.Serialize(value);

}
