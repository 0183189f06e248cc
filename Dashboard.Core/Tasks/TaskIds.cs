using System.Security.Cryptography;
using Dashboard.Core.Common;
using Dashboard.Core.Errors;

namespace Dashboard.Core.Tasks;

/// <summary>Task id rules and generated ids, as Druid's IdUtils has them (druid-behaviour.md §0.4, §1.6).</summary>
public static class TaskIds
{
    /// <summary>Longest id or datasource name: Druid's metadata tables hold them in VARCHAR(255) columns.</summary>
    public const int MaxLength = 255;

    /// <summary>Throws a 400 invalidInput naming <paramref name="field"/> when <paramref name="value"/> is not a valid id.</summary>
    public static string Validate(string field, string? value) =>
        Check(field, value) is { } message ? throw DruidException.InvalidInput(message) : value!;

    /// <summary>The reason <paramref name="value"/> is not a valid id, or null when it is.</summary>
    public static string? Check(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"Invalid value for field [{field}]: must not be null";
        }

        if (value.Length > MaxLength)
        {
            return $"Invalid value for field [{field}]: Value [{value[..40]}...] is {value.Length} characters long; at most {MaxLength} are allowed (the metadata store's column). Use a shorter value.";
        }

        if (value.StartsWith('.'))
        {
            return $"Invalid value for field [{field}]: Value [{value}] cannot start with '.'.";
        }

        if (value.Contains('/'))
        {
            return $"Invalid value for field [{field}]: Value [{value}] cannot contain '/'.";
        }

        // Java's \s: space, \t, \n, \x0B, \f, \r. Only the plain space is allowed.
        if (value.AsSpan().IndexOfAny("\t\n\u000B\f\r") >= 0)
        {
            return $"Invalid value for field [{field}]: Value [{value}] contains illegal whitespace characters.  Only space is allowed.";
        }

        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            // Control characters (NUL included), surrogates and private use are refused: ids end up in paths, file names
            // and log lines. Druid's own ranges are open intervals; their ends (NUL, DEL, U+D800, U+F8FF...) are refused too.
            if (c is < ' ' or >= (char)127 and <= (char)159 or >= '\ud800' and <= '\uf8ff' or >= '\ufff0')
            {
                return $"Invalid value for field [{field}]: Value [{value}] contains illegal UTF8 character [#{(int)c}] at position [{i}]";
            }
        }

        return null;
    }

    /// <summary><c>&lt;type&gt;_&lt;dataSource&gt;_&lt;8 random a-p chars&gt;_&lt;ISO time&gt;</c>, e.g. <c>index_parallel_wikipedia_biahcbmf_2023-06-26T21:08:05.216Z</c>.</summary>
    public static string NewTaskId(string type, string dataSource, DateTimeOffset now, Interval? interval = null)
    {
        var parts = new List<string> { type, dataSource, RandomSuffix() };
        if (interval is { } i)
        {
            parts.Add(DruidTime.Format(i.Start));
            parts.Add(DruidTime.Format(i.End));
        }

        parts.Add(DruidTime.Format(now));
        return string.Join('_', parts);
    }

    /// <summary>Eight characters from a to p, as Druid's IdUtils.getRandomId.</summary>
    public static string RandomSuffix()
    {
        Span<char> chars = stackalloc char[8];
        var bits = RandomNumberGenerator.GetInt32(int.MaxValue) ^ (RandomNumberGenerator.GetInt32(2) << 31);
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = (char)('a' + ((bits >>> (i * 4)) & 0x0F));
        }

        return new string(chars);
    }
}
