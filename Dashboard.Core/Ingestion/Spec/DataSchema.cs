using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Tasks;

namespace Dashboard.Core.Ingestion.Spec;

/// <summary><c>timestampSpec</c>: which field holds the row time and how to read it.</summary>
public sealed record TimestampSpec(string Column, string Format, DateTimeOffset? MissingValue)
{
    public static TimestampSpec Parse(JsonObject json, string path)
    {
        var missing = SpecJson.String(json, "missingValue", path);
        DateTimeOffset? missingValue = null;
        if (missing is not null)
        {
            missingValue = DruidTime.TryParse(missing, out var m) ? m : throw SpecJson.Invalid($"{path}.missingValue [{missing}] is not an ISO-8601 time.");
        }

        return new TimestampSpec(SpecJson.String(json, "column", path) ?? "timestamp", SpecJson.String(json, "format", path) ?? "auto", missingValue);
    }
}

/// <summary>A dimension: a column stored as-is, of type string, long, float, double or json.</summary>
public sealed record DimensionSchema(string Name, string Type);

/// <summary><c>dimensionsSpec</c>: the dimensions to keep, or schema discovery of every field.</summary>
public sealed record DimensionsSpec(IReadOnlyList<DimensionSchema> Dimensions, IReadOnlySet<string> Exclusions, bool UseSchemaDiscovery)
{
    private static readonly HashSet<string> Types = ["string", "long", "float", "double", "json", "auto"];

    /// <summary>True when no dimension is listed: every field that is not the timestamp or a metric input becomes one.</summary>
    public bool DiscoversDimensions => UseSchemaDiscovery || Dimensions.Count == 0;

    public static DimensionsSpec Parse(JsonObject json, string path)
    {
        var dimensions = new List<DimensionSchema>();
        var list = SpecJson.Array(json, "dimensions", path);
        for (var i = 0; i < list.Count; i++)
        {
            var itemPath = $"{path}.dimensions[{i}]";
            DimensionSchema dimension = list[i] switch
            {
                JsonValue v when v.TryGetValue<string>(out var name) => new DimensionSchema(name, "string"),
                JsonObject o => new DimensionSchema(SpecJson.String(o, "name", itemPath, required: true)!, (SpecJson.String(o, "type", itemPath) ?? "string").ToLowerInvariant()),
                var other => throw SpecJson.Invalid($"{itemPath} must be a name or an object with name and type, got {SpecJson.Kind(other)}."),
            };
            if (!Types.Contains(dimension.Type))
            {
                throw SpecJson.Invalid($"{itemPath}.type [{dimension.Type}] is not supported; use string, long, float, double or json.");
            }

            if (dimensions.Any(d => d.Name == dimension.Name))
            {
                throw SpecJson.Invalid($"{path}.dimensions lists [{dimension.Name}] more than once.");
            }

            dimensions.Add(dimension);
        }

        return new DimensionsSpec(dimensions, SpecJson.Strings(json, "dimensionExclusions", path).ToHashSet(),
            SpecJson.Bool(json, "useSchemaDiscovery", path, false));
    }
}

/// <summary>A metric aggregator of <c>metricsSpec</c>.</summary>
public sealed record MetricSpec(string Type, string Name, string? FieldName)
{
    public static readonly IReadOnlySet<string> Types = new HashSet<string>
        { "count", "longSum", "doubleSum", "floatSum", "longMin", "longMax", "doubleMin", "doubleMax", "floatMin", "floatMax" };

    public static MetricSpec Parse(JsonNode? node, string path)
    {
        if (node is not JsonObject json)
        {
            throw SpecJson.Invalid($"{path} must be an object with type and name, got {SpecJson.Kind(node)}.");
        }

        var type = SpecJson.String(json, "type", path, required: true)!;
        if (!Types.Contains(type))
        {
            throw SpecJson.Invalid($"{path}.type [{type}] is not supported; use one of {string.Join(", ", Types)}.");
        }

        var name = SpecJson.String(json, "name", path, required: true)!;
        var field = SpecJson.String(json, "fieldName", path);
        if (type != "count" && field is null)
        {
            throw SpecJson.Invalid($"{path}.fieldName is required for a {type} metric.");
        }

        return new MetricSpec(type, name, field);
    }

    /// <summary>long, double or float: how the metric is stored.</summary>
    public string ValueType => Type switch
    {
        "count" or "longSum" or "longMin" or "longMax" => "long",
        "floatSum" or "floatMin" or "floatMax" => "float",
        _ => "double",
    };
}

/// <summary><c>granularitySpec</c>: time chunks of segments, truncation of row times, the intervals to keep, rollup.</summary>
public sealed record GranularitySpec(Granularity SegmentGranularity, Granularity QueryGranularity, IReadOnlyList<Interval> Intervals, bool Rollup)
{
    public static GranularitySpec Parse(JsonObject json, string path)
    {
        static Granularity Read(JsonObject json, string name, string path, Granularity fallback)
        {
            if (json[name] is null)
            {
                return fallback;
            }

            return Granularity.TryParse(json[name], out var g, out var error) ? g : throw SpecJson.Invalid($"{path}.{name}: {error}");
        }

        var intervals = SpecJson.Strings(json, "intervals", path).Select((text, i) =>
            Interval.TryParse(text, out var interval, out var outOfRange) ? interval
            : outOfRange ? throw SpecJson.Invalid(Interval.OutOfRangeMessage($"{path}.intervals[{i}]", text))
            : throw SpecJson.Invalid($"{path}.intervals[{i}] [{text}] is not an ISO-8601 interval such as 2015-09-12/2015-09-13.")).ToList();
        return new GranularitySpec(Read(json, "segmentGranularity", path, Granularity.Day), Read(json, "queryGranularity", path, Granularity.None),
            intervals, SpecJson.Bool(json, "rollup", path, true));
    }

    public bool InIntervals(DateTimeOffset t) => Intervals.Count == 0 || Intervals.Any(i => i.Contains(t));
}

/// <summary>An expression transform: a new or replaced field computed with Druid's expression language.</summary>
public sealed record ExpressionTransform(string Name, string Expression);

/// <summary><c>transformSpec</c>: computed fields and the filter rows must pass.</summary>
public sealed record TransformSpec(IReadOnlyList<ExpressionTransform> Transforms, DimFilter? Filter)
{
    public static TransformSpec Parse(JsonObject json, string path)
    {
        var transforms = SpecJson.Array(json, "transforms", path).Select((n, i) =>
        {
            var itemPath = $"{path}.transforms[{i}]";
            var o = n as JsonObject ?? throw SpecJson.Invalid($"{itemPath} must be an object.");
            var type = SpecJson.String(o, "type", itemPath) ?? "expression";
            return type == "expression"
                ? new ExpressionTransform(SpecJson.String(o, "name", itemPath, required: true)!, SpecJson.String(o, "expression", itemPath, required: true)!)
                : throw SpecJson.Invalid($"{itemPath}.type [{type}] is not supported; use expression.");
        }).ToList();
        var filter = json["filter"] is null ? null : DimFilter.Parse(json["filter"], $"{path}.filter");
        return new TransformSpec(transforms, filter);
    }
}

/// <summary><c>dataSchema</c>.</summary>
public sealed record DataSchema(
    string DataSource, TimestampSpec TimestampSpec, DimensionsSpec DimensionsSpec, IReadOnlyList<MetricSpec> Metrics,
    GranularitySpec GranularitySpec, TransformSpec TransformSpec)
{
    public static DataSchema Parse(JsonObject json, string path)
    {
        var dataSource = SpecJson.String(json, "dataSource", path, required: true)!;
        TaskIds.Validate("dataSource", dataSource);
        var metrics = SpecJson.Array(json, "metricsSpec", path).Select((m, i) => MetricSpec.Parse(m, $"{path}.metricsSpec[{i}]")).ToList();
        var duplicate = metrics.GroupBy(m => m.Name).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw SpecJson.Invalid($"{path}.metricsSpec names [{duplicate.Key}] more than once.");
        }

        return new DataSchema(dataSource,
            TimestampSpec.Parse(SpecJson.Object(json, "timestampSpec", path), $"{path}.timestampSpec"),
            DimensionsSpec.Parse(SpecJson.Object(json, "dimensionsSpec", path), $"{path}.dimensionsSpec"),
            metrics,
            GranularitySpec.Parse(SpecJson.Object(json, "granularitySpec", path), $"{path}.granularitySpec"),
            TransformSpec.Parse(SpecJson.Object(json, "transformSpec", path), $"{path}.transformSpec"));
    }
}
