using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Model;

/// <summary>
/// The workbench's query context: the common MSQ keys as fields and any other key as a JSON object. <see cref="Errors"/>
/// lists what is invalid; <see cref="ToJson"/> is what is sent with the query.
/// </summary>
public sealed class QueryContextForm
{
    public int? MaxNumTasks { get; set; } = 2;
    public int? MaxParseExceptions { get; set; }
    public int? RowsPerSegment { get; set; }
    public bool? FinalizeAggregations { get; set; }
    public bool? FailOnEmptyInsert { get; set; }

    /// <summary>Other keys, as a JSON object.</summary>
    public string Other { get; set; } = "{}";

    public IReadOnlyList<string> Errors
    {
        get
        {
            var errors = new List<string>();
            if (MaxNumTasks is < 2)
            {
                errors.Add("maxNumTasks must be at least 2 (the controller and one worker).");
            }

            if (MaxParseExceptions is < -1)
            {
                errors.Add("maxParseExceptions must be -1 (unlimited) or more.");
            }

            if (RowsPerSegment is < 1)
            {
                errors.Add("rowsPerSegment must be positive.");
            }

            if (OtherObject(out var error) is null)
            {
                errors.Add(error!);
            }

            return errors;
        }
    }

    public JsonObject ToJson()
    {
        var json = OtherObject(out _) ?? new JsonObject();
        Set(json, "maxNumTasks", MaxNumTasks);
        Set(json, "maxParseExceptions", MaxParseExceptions);
        Set(json, "rowsPerSegment", RowsPerSegment);
        Set(json, "finalizeAggregations", FinalizeAggregations);
        Set(json, "failOnEmptyInsert", FailOnEmptyInsert);
        return json;
    }

    /// <summary>Reads a context back (from the browser's storage): known keys into fields, the rest into <see cref="Other"/>.</summary>
    public static QueryContextForm FromJson(JsonObject? json)
    {
        if (json is null)
        {
            return new QueryContextForm();
        }

        var form = new QueryContextForm { MaxNumTasks = null };
        var other = new JsonObject();
        foreach (var (key, value) in json)
        {
            switch (key)
            {
                case "maxNumTasks": form.MaxNumTasks = Int(value); break;
                case "maxParseExceptions": form.MaxParseExceptions = Int(value); break;
                case "rowsPerSegment": form.RowsPerSegment = Int(value); break;
                case "finalizeAggregations": form.FinalizeAggregations = Bool(value); break;
                case "failOnEmptyInsert": form.FailOnEmptyInsert = Bool(value); break;
                default: other[key] = value?.DeepClone(); break;
            }
        }

        form.Other = other.Count == 0 ? "{}" : other.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return form;
    }

    private JsonObject? OtherObject(out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(Other))
        {
            return new JsonObject();
        }

        try
        {
            if (JsonNode.Parse(Other) is JsonObject obj)
            {
                return obj;
            }

            error = "Other context keys must be a JSON object, e.g. {\"sqlTimeZone\": \"UTC\"}.";
        }
        catch (JsonException ex)
        {
            error = "Other context keys are not valid JSON: " + ex.Message;
        }

        return null;
    }

    private static void Set<T>(JsonObject json, string key, T? value) where T : struct
    {
        if (value is { } v)
        {
            json[key] = JsonValue.Create(v);
        }
    }

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var i) ? i
        : node is JsonValue s && s.TryGetValue<string>(out var text) && int.TryParse(text, out var p) ? p : null;

    private static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b
        : node is JsonValue s && s.TryGetValue<string>(out var text) && bool.TryParse(text, out var p) ? p : null;
}
