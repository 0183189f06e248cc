using System.IO.Compression;
using System.Text;
using DuckDB.NET.Data;

namespace Dashboard.Bench;

/// <summary>
/// The generated ingestion input in one of the benchmark's formats (json, json.gz, parquet), split over N files, with the
/// inputFormat, timestampSpec format and DuckDB read the overlord and the baseline use for it.
/// </summary>
public sealed record IngestInput(string Format, IReadOnlyList<string> Files)
{
    public string InputFormat => Format == "parquet" ? "parquet" : "json";

    /// <summary>Parquet holds the time as a TIMESTAMP column, which Druid reads as epoch millis ("auto" takes them).</summary>
    public string TimestampFormat => Format == "parquet" ? "auto" : "iso";

    /// <summary>The baseline's typed read: the same rows with __time, without the overlord.</summary>
    public string BaselineReadSql()
    {
        var list = "[" + string.Join(", ", Files.Select(f => $"'{f}'")) + "]";
        return Format == "parquet"
            ? $"SELECT CAST(\"time\" AS TIMESTAMP) AS __time, * EXCLUDE (\"time\") FROM read_parquet({list})"
            : $"SELECT CAST(CAST(\"time\" AS TIMESTAMPTZ) AS TIMESTAMP) AS __time, * EXCLUDE (\"time\") FROM read_json({list}, format='newline_delimited')";
    }

    public long Bytes => Files.Sum(f => new FileInfo(f).Length);

    /// <summary>Writes <paramref name="rows"/> generated rows as <paramref name="files"/> JSON files, then the gzip and Parquet copies asked for.</summary>
    public static IReadOnlyList<IngestInput> Generate(string dir, int rows, int files, IReadOnlyList<string> formats)
    {
        var json = Enumerable.Range(0, files).Select(i => Path.Combine(dir, files == 1 ? "generated.json" : $"generated-{i:D3}.json")).ToList();
        IngestBenchmark.Generate(json, rows);
        var inputs = new List<IngestInput>();
        foreach (var format in formats)
        {
            inputs.Add(format switch
            {
                "json" => new IngestInput(format, json),
                "json.gz" => new IngestInput(format, json.Select(Gzip).ToList()),
                "parquet" => new IngestInput(format, json.Select(ToParquet).ToList()),
                _ => throw new ArgumentException($"--formats: [{format}] is not one of json, json.gz, parquet."),
            });
        }

        return inputs;
    }

    private static string Gzip(string path)
    {
        var target = path + ".gz";
        using var source = File.OpenRead(path);
        using var file = File.Create(target);
        using var gzip = new GZipStream(file, CompressionLevel.Fastest);
        source.CopyTo(gzip, 1 << 20);
        return target;
    }

    private static string ToParquet(string path)
    {
        var target = Path.ChangeExtension(path, ".parquet");
        using var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        using var command = db.CreateCommand();
        command.CommandText = $"SET TimeZone='UTC'; COPY (SELECT CAST(CAST(\"time\" AS TIMESTAMPTZ) AS TIMESTAMP) AS \"time\", * EXCLUDE (\"time\") " +
                              $"FROM read_json('{path}', format='newline_delimited')) TO '{target}' (FORMAT parquet, COMPRESSION snappy)";
        command.ExecuteNonQuery();
        return target;
    }
}
