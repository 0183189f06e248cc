using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dashboard.Core.Common;

namespace Dashboard.Core.Segments;

/// <summary>
/// A published segment as Druid's coordinator and <c>/task/{id}/segments</c> show it: one time chunk of one
/// data source at one version, one partition of it.
/// </summary>
public sealed record DataSegment(
    [property: JsonPropertyName("dataSource")] string DataSource,
    [property: JsonPropertyName("interval"), JsonConverter(typeof(IntervalJsonConverter))] Interval Interval,
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("loadSpec")] JsonObject LoadSpec,
    [property: JsonPropertyName("dimensions")] string Dimensions,
    [property: JsonPropertyName("metrics")] string Metrics,
    [property: JsonPropertyName("shardSpec")] JsonObject ShardSpec,
    [property: JsonPropertyName("binaryVersion")] int BinaryVersion,
    [property: JsonPropertyName("size")] long Size,
    [property: JsonPropertyName("totalRows")] long TotalRows)
{
    [JsonIgnore]
    public int PartitionNum => ShardSpec["partitionNum"]?.GetValue<int>() ?? 0;

    /// <summary><c>ds_start_end_version[_partition]</c>, Druid's SegmentId string.</summary>
    [JsonPropertyName("identifier")]
    public string Identifier =>
        $"{DataSource}_{DruidTime.Format(Interval.Start)}_{DruidTime.Format(Interval.End)}_{Version}" +
        (PartitionNum == 0 ? "" : $"_{PartitionNum}");
}
