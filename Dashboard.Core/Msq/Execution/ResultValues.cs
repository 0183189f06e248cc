using System.Globalization;
using System.Text.Json.Nodes;
using Dashboard.Core.Msq.Dialect;

namespace Dashboard.Core.Msq.Execution;

/// <summary>Query result values as Druid's SQL results carry them, for task reports and the interactive endpoint alike.</summary>
public static class ResultValues
{
    /// <summary>A result value as Druid's JSON results carry it; TIMESTAMPs are ISO-8601 in sqlTimeZone, booleans 1 or 0.</summary>
    public static JsonNode? ToJson(object value, SqlTimeZone zone) => value switch
    {
        DateTime t => JsonValue.Create(zone.Format(new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)))),
        DateTimeOffset t => JsonValue.Create(zone.Format(t)),
        bool b => JsonValue.Create(b ? 1 : 0),
        long or int or short or byte or sbyte or ushort or uint or ulong => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
        double or float or decimal => JsonValue.Create(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
        System.Numerics.BigInteger big => JsonValue.Create((long)big),
        _ => JsonValue.Create(value.ToString()),
    };
}
