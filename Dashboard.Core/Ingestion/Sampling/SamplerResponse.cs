using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>
/// Druid's <c>SamplerResponse</c>: rows read and indexed, the dimensions and segment schema the sample implies, and each
/// row as read (<c>input</c>) and as it would be stored (<c>parsed</c>, with <c>__time</c> in epoch milliseconds).
/// <see cref="InputFormat"/>, <see cref="TimeColumns"/>, <see cref="BytesRead"/> and <see cref="Truncated"/> are
/// additions of this server; a real Druid cluster leaves them out.
/// </summary>
public sealed record SamplerResponse(
    int NumRowsRead,
    int NumRowsIndexed,
    IReadOnlyList<SamplerDimension> LogicalDimensions,
    IReadOnlyList<SamplerDimension> PhysicalDimensions,
    IReadOnlyList<SamplerColumn> LogicalSegmentSchema,
    IReadOnlyList<SamplerRow> Data)
{
    /// <summary>The input format used: the one given, or the one detected when the request had none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public JsonObject? InputFormat { get; init; }

    /// <summary>Columns whose sampled values all read as times, best first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<TimeColumnCandidate>? TimeColumns { get; init; }

    /// <summary>Decompressed bytes the sampler read from the input (at most <see cref="SampleInputReader.MaxSampleBytes"/>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? BytesRead { get; init; }

    /// <summary>True when the input holds more than the sample read.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Truncated { get; init; }

    /// <summary>The input columns in order with the EXTERN signature type (string, long, double) the sample implies.</summary>
    public IReadOnlyList<SamplerColumn> InputSignature() =>
        LogicalSegmentSchema.Where(c => c.Name != "__time" || Data.Any(r => r.Input?.ContainsKey("__time") == true))
            .Select(c => new SamplerColumn(c.Name, SignatureType(c.Type))).ToList();

    /// <summary>Time columns: the server's suggestion, or (from a Druid cluster) the ones the sampled rows imply.</summary>
    public IReadOnlyList<TimeColumnCandidate> TimeColumnsOrDetected() =>
        TimeColumns ?? TimeColumnDetector.Detect(LogicalSegmentSchema.Select(c => c.Name).Where(n => n != "__time").ToList(), Data.Select(r => r.Input).OfType<JsonObject>().ToList());

    private static string SignatureType(string druidType) => druidType.ToUpperInvariant() switch
    {
        "LONG" => "long",
        "DOUBLE" => "double",
        "FLOAT" => "float",
        _ => "string",
    };
}

/// <summary>A dimension as Druid's <c>DimensionSchema</c> writes it.</summary>
public sealed record SamplerDimension(string Type, string Name, string MultiValueHandling, bool CreateBitmapIndex);

/// <summary>A column of <c>logicalSegmentSchema</c>: name and Druid column type (LONG, DOUBLE, STRING).</summary>
public sealed record SamplerColumn(string Name, string Type);

/// <summary>One sampled row: as read, as parsed, or why it could not be parsed.</summary>
public sealed record SamplerRow(JsonObject? Input, JsonObject? Parsed)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Unparseable { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}

/// <summary>A column that can be the row time, and how its values read: <c>iso</c> text or epoch <c>millis</c>.</summary>
public sealed record TimeColumnCandidate(string Name, string Format);
