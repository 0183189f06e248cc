using System.Text.Json;
using System.Text.Json.Serialization;

namespace Dashboard.Core.Common;

/// <summary>Reads and writes an <see cref="Interval"/> as Druid's <c>start/end</c> string.</summary>
public sealed class IntervalJsonConverter : JsonConverter<Interval>
{
    public override Interval Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Interval.Parse(reader.GetString() ?? "");

    public override void Write(Utf8JsonWriter writer, Interval value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
