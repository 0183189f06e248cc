using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Dashboard.Core.Common;

/// <summary>
/// Reads whole numbers from JSON values, whether parsed from text or built in memory (a value built from an int does
/// not convert to long through TryGetValue).
/// </summary>
public static class JsonNumbers
{
    public static bool TryGetInt64(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v)
        {
            return false;
        }

        return v.GetValueKind() switch
        {
            JsonValueKind.Number => long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value)
                                    || (double.TryParse(v.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == Math.Floor(d)
                                        && d is >= long.MinValue and <= long.MaxValue && Assign(out value, (long)d)),
            JsonValueKind.String => long.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value),
            _ => false,
        };
    }

    private static bool Assign(out long target, long value)
    {
        target = value;
        return true;
    }
}
