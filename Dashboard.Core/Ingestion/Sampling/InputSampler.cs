using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Spec;

namespace Dashboard.Core.Ingestion.Sampling;

/// <summary>
/// Druid's sampler for the embedded overlord: reads a bounded sample of the input (<see cref="SampleInputReader"/>),
/// detects the input format when none is given, parses up to <c>numRows</c> rows and answers with Druid's
/// <see cref="SamplerResponse"/>. Nothing is written and no task is created.
/// </summary>
public sealed class InputSampler(SampleInputReader reader, Core.Engine.DuckDbSessionFactory sessions)
{
    public async Task<SamplerResponse> SampleAsync(SamplerSpec spec, CancellationToken cancellationToken)
    {
        var source = InputSourceSpec.Parse(spec.InputSource, "spec.ioConfig.inputSource");
        var sample = await reader.ReadAsync(source, TimeSpan.FromMilliseconds(spec.TimeoutMs), cancellationToken);
        var format = spec.InputFormat ?? InputFormatDetector.Detect(sample.RawHead, sample.Bytes, sample.Name);
        SampleRows rows;
        if (format["type"]?.GetValue<string>() == "parquet")
        {
            rows = sample.LocalPath is { } path && sample.RawHead.AsSpan().StartsWith("PAR1"u8)
                ? await SampleRows.FromParquetAsync(sessions, path, spec.NumRows, cancellationToken)
                : throw Errors.DruidException.ErrorMap(400, $"Input [{sample.Name}] looks like Parquet; the sampler reads Parquet from local Parquet files only.");
        }
        else
        {
            rows = SampleRows.FromText(sample, format, spec.NumRows);
        }
        return Build(rows, spec.TimestampSpec) with
        {
            InputFormat = (JsonObject)format.DeepClone(),
            BytesRead = sample.Bytes.Length,
            Truncated = sample.Truncated,
        };
    }

    private static SamplerResponse Build(SampleRows rows, TimestampSpec? timestamp)
    {
        var inputs = rows.Rows.Select(r => r.Input).OfType<JsonObject>().ToList();
        var dimensions = rows.Columns.Where(c => c != timestamp?.Column).ToList();
        var types = dimensions.ToDictionary(c => c, c => rows.KnownTypes?.GetValueOrDefault(c) ?? SampleColumnTypes.Infer(inputs.Select(r => r[c])), StringComparer.Ordinal);

        var data = new List<SamplerRow>();
        var indexed = 0;
        foreach (var (input, error) in rows.Rows)
        {
            if (input is null)
            {
                data.Add(new SamplerRow(null, null) { Unparseable = true, Error = error });
                continue;
            }

            var time = TimeOf(input, timestamp);
            if (time is null)
            {
                data.Add(new SamplerRow(input, null)
                {
                    Unparseable = true,
                    Error = $"Timestamp[{input[timestamp!.Column]?.ToString() ?? "null"}] is unparseable! Event: {input.ToJsonString()}",
                });
                continue;
            }

            var parsed = new JsonObject { ["__time"] = time.Value };
            foreach (var column in dimensions)
            {
                parsed[column] = SampleColumnTypes.Convert(input[column], types[column]);
            }

            data.Add(new SamplerRow(input, parsed));
            indexed++;
        }

        var schema = new List<SamplerColumn> { new("__time", "LONG") };
        schema.AddRange(dimensions.Where(c => c != "__time").Select(c => new SamplerColumn(c, types[c])));
        var dimensionSchemas = dimensions.Where(c => c != "__time")
            .Select(c => new SamplerDimension(types[c].ToLowerInvariant(), c, "SORTED_ARRAY", types[c] == "STRING")).ToList();
        return new SamplerResponse(rows.Rows.Count, indexed, dimensionSchemas, dimensionSchemas, schema, data)
        {
            TimeColumns = TimeColumnDetector.Detect(rows.Columns, inputs),
        };
    }

    /// <summary>The row time in epoch millis: 0 without a timestampSpec (as the web console's sample), else the column read by its format.</summary>
    private static long? TimeOf(JsonObject input, TimestampSpec? timestamp)
    {
        if (timestamp is null)
        {
            return 0;
        }

        var value = input[timestamp.Column];
        var text = value is null ? null : value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
        if (string.IsNullOrEmpty(text))
        {
            return timestamp.MissingValue?.ToUnixTimeMilliseconds();
        }

        var format = timestamp.Format.ToLowerInvariant();
        if (format is "millis" or "auto" && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var millis))
        {
            return millis;
        }

        if (format == "posix" && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var seconds))
        {
            return seconds * 1000;
        }

        return DruidTime.TryParse(text, out var parsed) ? parsed.ToUnixTimeMilliseconds() : null;
    }
}
