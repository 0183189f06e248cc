using System.Text.Json.Nodes;

namespace Dashboard.Core.Ingestion.Spec;

/// <summary>Where rows come from: <c>local</c> files, <c>inline</c> data, or <c>http</c> URIs.</summary>
public abstract record InputSourceSpec
{
    public static InputSourceSpec Parse(JsonObject json, string path)
    {
        var type = SpecJson.String(json, "type", path, required: true)!;
        return type switch
        {
            "local" => new LocalInputSourceSpec(SpecJson.String(json, "baseDir", path), SpecJson.String(json, "filter", path),
                SpecJson.Strings(json, "files", path)),
            "inline" => new InlineInputSourceSpec(SpecJson.String(json, "data", path, required: true)!),
            "http" => new HttpInputSourceSpec(SpecJson.Strings(json, "uris", path) is { Count: > 0 } uris
                    ? uris
                    : throw SpecJson.Invalid($"{path}.uris must list at least one URI."),
                SpecJson.String(json, "httpAuthenticationUsername", path),
                json["httpAuthenticationPassword"] switch
                {
                    null => null,
                    JsonObject p => SpecJson.String(p, "password", $"{path}.httpAuthenticationPassword"),
                    _ => SpecJson.String(json, "httpAuthenticationPassword", path),
                }),
            _ => throw SpecJson.Invalid($"{path}.type [{type}] is not supported; use local, inline or http."),
        };
    }
}

public sealed record LocalInputSourceSpec(string? BaseDir, string? Filter, IReadOnlyList<string> Files) : InputSourceSpec;

public sealed record InlineInputSourceSpec(string Data) : InputSourceSpec;

public sealed record HttpInputSourceSpec(IReadOnlyList<string> Uris, string? Username, string? Password) : InputSourceSpec;

/// <summary>How rows are written: <c>json</c> (one object per line), <c>csv</c>, <c>tsv</c> or <c>parquet</c>.</summary>
public sealed record InputFormatSpec(string Type, IReadOnlyList<string> Columns, bool FindColumnsFromHeader, int SkipHeaderRows, string? ListDelimiter, string Delimiter)
{
    /// <summary>Parquet only: the fields read from nested columns (Druid's flattenSpec).</summary>
    public FlattenSpec Flatten { get; init; } = FlattenSpec.Default;

    /// <summary>Parquet only: BINARY columns without a string annotation read as UTF-8 text (otherwise base64, as Druid does).</summary>
    public bool BinaryAsString { get; init; }

    public bool IsParquet => Type == "parquet";

    public static InputFormatSpec Parse(JsonObject json, string path)
    {
        var type = (SpecJson.String(json, "type", path, required: true)!).ToLowerInvariant();
        if (type is not ("json" or "csv" or "tsv" or "parquet"))
        {
            throw SpecJson.Invalid($"{path}.type [{type}] is not supported; use json, csv, tsv or parquet.");
        }

        if (type == "parquet")
        {
            return new InputFormatSpec(type, [], false, 0, null, ",")
            {
                Flatten = json["flattenSpec"] is JsonObject flatten ? FlattenSpec.Parse(flatten, $"{path}.flattenSpec") : FlattenSpec.Default,
                BinaryAsString = SpecJson.Bool(json, "binaryAsString", path, false),
            };
        }

        var columns = SpecJson.Strings(json, "columns", path);
        var fromHeader = SpecJson.Bool(json, "findColumnsFromHeader", path, false);
        if (type != "json" && columns.Count == 0 && !fromHeader)
        {
            throw SpecJson.Invalid($"{path}: a {type} input format needs either columns or findColumnsFromHeader: true.");
        }

        var delimiter = type == "tsv" ? SpecJson.String(json, "delimiter", path) ?? "\t" : ",";
        return new InputFormatSpec(type, columns, fromHeader, (int)SpecJson.Long(json, "skipHeaderRows", path, 0, min: 0),
            SpecJson.String(json, "listDelimiter", path), delimiter);
    }
}

/// <summary><c>ioConfig</c>.</summary>
public sealed record IoConfig(InputSourceSpec InputSource, InputFormatSpec InputFormat, bool AppendToExisting, bool DropExisting)
{
    public static IoConfig Parse(JsonObject json, string path)
    {
        var source = InputSourceSpec.Parse(SpecJson.Object(json, "inputSource", path, required: true), $"{path}.inputSource");
        var format = json["inputFormat"] is JsonObject f
            ? InputFormatSpec.Parse(f, $"{path}.inputFormat")
            : throw SpecJson.Invalid($"{path}.inputFormat is required, e.g. {{\"type\":\"json\"}}.");
        var append = SpecJson.Bool(json, "appendToExisting", path, false);
        var drop = SpecJson.Bool(json, "dropExisting", path, false);
        if (append && drop)
        {
            throw SpecJson.Invalid($"{path}: appendToExisting and dropExisting cannot both be true.");
        }

        return new IoConfig(source, format, append, drop);
    }
}

/// <summary><c>tuningConfig</c>, with Druid's defaults.</summary>
public sealed record TuningConfig(long MaxRowsPerSegment, long MaxRowsInMemory, int MaxNumConcurrentSubTasks, long MaxParseExceptions,
    int MaxSavedParseExceptions, bool LogParseExceptions)
{
    public static TuningConfig Parse(JsonObject json, string path)
    {
        var partitions = SpecJson.Object(json, "partitionsSpec", path);
        var partitionsType = SpecJson.String(partitions, "type", $"{path}.partitionsSpec") ?? "dynamic";
        if (partitionsType != "dynamic")
        {
            throw SpecJson.Invalid($"{path}.partitionsSpec.type [{partitionsType}] is not supported; use dynamic.");
        }

        var maxRows = SpecJson.Long(partitions, "maxRowsPerSegment", $"{path}.partitionsSpec",
            SpecJson.Long(json, "maxRowsPerSegment", path, 5_000_000, min: 1, max: int.MaxValue), min: 1, max: int.MaxValue);
        return new TuningConfig(maxRows,
            SpecJson.Long(json, "maxRowsInMemory", path, 1_000_000, min: 1, max: int.MaxValue),
            (int)SpecJson.Long(json, "maxNumConcurrentSubTasks", path, 1, min: 1),
            SpecJson.Long(json, "maxParseExceptions", path, int.MaxValue, min: 0),
            (int)Math.Min(int.MaxValue, SpecJson.Long(json, "maxSavedParseExceptions", path, 0, min: 0)),
            SpecJson.Bool(json, "logParseExceptions", path, false));
    }
}

/// <summary>The <c>spec</c> of an index_parallel or index task.</summary>
public sealed record IngestionSpec(DataSchema DataSchema, IoConfig IoConfig, TuningConfig TuningConfig)
{
    public static IngestionSpec Parse(JsonObject task)
    {
        var spec = SpecJson.Object(task, "spec", "task", required: true);
        return new IngestionSpec(
            DataSchema.Parse(SpecJson.Object(spec, "dataSchema", "spec", required: true), "spec.dataSchema"),
            IoConfig.Parse(SpecJson.Object(spec, "ioConfig", "spec", required: true), "spec.ioConfig"),
            TuningConfig.Parse(SpecJson.Object(spec, "tuningConfig", "spec"), "spec.tuningConfig"));
    }
}
