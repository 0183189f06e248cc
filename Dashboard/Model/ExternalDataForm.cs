using System.Text.Json.Nodes;
using Dashboard.Core.Ingestion.Sampling;

namespace Dashboard.Model;

/// <summary>Where the "Connect external data" dialog reads from.</summary>
public enum ExternalSourceKind
{
    LocalFile,
    Inline,
    Url,
}

/// <summary>
/// The state of the "Connect external data" dialog: the source the user typed, the format (detected or overridden), the
/// sampler's answer, and the choices that shape the INSERT (time column, partitioning, clustering, datasource name).
/// It builds the sampler request and the statement; the dialog only shows it.
/// </summary>
public sealed class ExternalDataForm
{
    /// <summary>The format select's value for "use what the sampler detected".</summary>
    public const string DetectFormat = "detect";

    /// <summary>The time column select's value for "no time column".</summary>
    public const string NoTimeColumn = "";

    public const int PreviewRows = 200;

    public ExternalSourceKind Kind { get; set; } = ExternalSourceKind.LocalFile;
    public string? LocalPath { get; set; }
    public string? InlineData { get; set; }
    public string? Url { get; set; }
    public string Format { get; set; } = DetectFormat;

    public SamplerResponse? Sample { get; private set; }

    /// <summary>The input source the sample was read from (the statement reads the same).</summary>
    public JsonObject? SampledSource { get; private set; }

    public string TimeColumn { get; private set; } = NoTimeColumn;
    public string PartitionedBy { get; set; } = "DAY";
    public string? ClusteredBy { get; set; }
    public string? DataSource { get; set; }

    /// <summary>Why the source cannot be sampled as typed, or null.</summary>
    public string? SourceProblem => Kind switch
    {
        ExternalSourceKind.LocalFile when string.IsNullOrWhiteSpace(LocalPath) => "Type the path of a file on the server.",
        ExternalSourceKind.Inline when string.IsNullOrWhiteSpace(InlineData) => "Paste some rows of data.",
        ExternalSourceKind.Url when string.IsNullOrWhiteSpace(Url) => "Type an http or https URL.",
        ExternalSourceKind.Url when !Uri.TryCreate(Url!.Trim(), UriKind.Absolute, out _) => $"“{Url!.Trim()}” is not an absolute URL (e.g. https://example.com/data.json.gz).",
        _ => null,
    };

    public JsonObject InputSource() => Kind switch
    {
        ExternalSourceKind.LocalFile => new JsonObject { ["type"] = "local", ["files"] = new JsonArray(LocalPath!.Trim()) },
        ExternalSourceKind.Inline => new JsonObject { ["type"] = "inline", ["data"] = InlineData },
        _ => new JsonObject { ["type"] = "http", ["uris"] = new JsonArray(Url!.Trim()) },
    };

    /// <summary>The inputFormat chosen in the override select; null lets the sampler detect it.</summary>
    public JsonObject? ChosenFormat() => Format switch
    {
        "json" => new JsonObject { ["type"] = "json" },
        "csv" => new JsonObject { ["type"] = "csv", ["findColumnsFromHeader"] = true },
        "tsv" => new JsonObject { ["type"] = "tsv", ["findColumnsFromHeader"] = true },
        "parquet" => new JsonObject { ["type"] = "parquet" },
        _ => null,
    };

    public JsonObject SamplerRequest() => SamplerSpec.Request(InputSource(), ChosenFormat(), PreviewRows);

    /// <summary>Takes the sampler's answer: suggests the time column, a datasource name and keeps choices that still apply.</summary>
    public void Apply(JsonObject source, SamplerResponse sample)
    {
        SampledSource = source;
        Sample = sample;
        var columns = Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (TimeColumn.Length == 0 || !columns.Contains(TimeColumn))
        {
            ChooseTimeColumn(TimeCandidates.FirstOrDefault()?.Name ?? NoTimeColumn);
        }

        if (ClusteredBy is not null && !columns.Contains(ClusteredBy))
        {
            ClusteredBy = null;
        }

        if (string.IsNullOrWhiteSpace(DataSource))
        {
            DataSource = ExternInsertSql.SuggestDataSource(Kind switch
            {
                ExternalSourceKind.LocalFile => LocalPath,
                ExternalSourceKind.Url => Url,
                _ => "inline_data",
            });
        }
    }

    /// <summary>
    /// Sets the time column. As in Druid's console, data without a time column is partitioned by ALL and data with one
    /// by DAY: switching between the two moves the partitioning along while it is still the other's default.
    /// </summary>
    public void ChooseTimeColumn(string? column)
    {
        TimeColumn = column ?? NoTimeColumn;
        PartitionedBy = (TimeColumn.Length, PartitionedBy) switch
        {
            (0, "DAY") => "ALL",
            (> 0, "ALL") => "DAY",
            _ => PartitionedBy,
        };
    }

    /// <summary>Forgets the sample (the source or format changed).</summary>
    public void ClearSample()
    {
        Sample = null;
        SampledSource = null;
    }

    /// <summary>The input columns with their EXTERN types, in input order.</summary>
    public IReadOnlyList<SamplerColumn> Columns => Sample?.InputSignature() ?? [];

    public IReadOnlyList<TimeColumnCandidate> TimeCandidates => Sample?.TimeColumnsOrDetected() ?? [];

    /// <summary>The format the statement will name: the override, else what the sampler used.</summary>
    public JsonObject? EffectiveFormat => Sample?.InputFormat ?? ChosenFormat();

    public string? DetectedFormatName => Sample?.InputFormat?["type"]?.GetValue<string>();

    /// <summary>Why no statement can be written yet, or null.</summary>
    public string? InsertProblem =>
        Sample is null || SampledSource is null ? "Preview the data first."
        : Columns.Count == 0 ? "The sample has no columns."
        : EffectiveFormat is null ? "Choose the input format."
        : ExternInsertSql.ValidateDataSource(DataSource);

    public string BuildSql() => ExternInsertSql.Build(new ExternInsertOptions(DataSource!, SampledSource!, EffectiveFormat!, Columns,
        TimeCandidates.FirstOrDefault(c => c.Name == TimeColumn), PartitionedBy, string.IsNullOrEmpty(ClusteredBy) ? null : ClusteredBy));
}
