using System.Globalization;
using System.Text.RegularExpressions;
using Dashboard.Core.Common;
using Dashboard.Core.Ingestion.Engine;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>
/// The time zone SQL time functions and TIMESTAMP literals are evaluated in (the <c>sqlTimeZone</c> context key, or a
/// function's own time zone argument). Stored times stay UTC: a zone only changes how wall-clock values map to instants.
/// In DuckDB SQL, <see cref="ToLocal"/> and <see cref="FromLocal"/> convert naive UTC timestamps to and from the zone's
/// wall clock; IANA zones go through DuckDB's ICU functions (so daylight saving is honoured), fixed offsets are plain
/// interval arithmetic.
/// </summary>
public sealed partial class SqlTimeZone
{
    public static readonly SqlTimeZone Utc = new("UTC", TimeZoneInfo.Utc, null);

    private readonly TimeZoneInfo _zone;
    private readonly TimeSpan? _fixedOffset;

    private SqlTimeZone(string id, TimeZoneInfo zone, TimeSpan? fixedOffset)
    {
        Id = id;
        _zone = zone;
        _fixedOffset = fixedOffset;
    }

    /// <summary>As given by the user (an IANA name or an offset such as +05:30), for the report's sqlResultsContext.</summary>
    public string Id { get; }

    public bool IsUtc => _fixedOffset == TimeSpan.Zero || (_fixedOffset is null && _zone.Id is "UTC" or "Etc/UTC");

    /// <summary>The zone a context value names: null means UTC; anything unrecognisable is a 400 that says what is accepted.</summary>
    public static SqlTimeZone FromContext(string key, string? value) =>
        value is null ? Utc : TryParse(value, out var zone) ? zone
            : throw MsqErrors.Invalid($"Context key [{key}] = [{value}] is not a time zone: use an IANA name such as America/Los_Angeles, or an offset such as +05:30.");

    public static bool TryParse(string? text, out SqlTimeZone zone)
    {
        zone = Utc;
        var s = text?.Trim();
        if (string.IsNullOrEmpty(s))
        {
            return false;
        }

        if (s is "Z" or "UTC" or "utc" or "Etc/UTC" or "GMT")
        {
            return true;
        }

        if (OffsetPattern().Match(s) is { Success: true } m)
        {
            var offset = new TimeSpan(int.Parse(m.Groups["h"].Value, CultureInfo.InvariantCulture), m.Groups["m"].Success ? int.Parse(m.Groups["m"].Value, CultureInfo.InvariantCulture) : 0, 0);
            offset = m.Groups["sign"].Value == "-" ? -offset : offset;
            if (offset.Duration() > TimeSpan.FromHours(18))
            {
                return false;
            }

            zone = new SqlTimeZone(s, TimeZoneInfo.CreateCustomTimeZone(s, offset, s, s), offset);
            return true;
        }

        // IANA names only: DuckDB's ICU and .NET on Linux both know them; Windows names would fail in DuckDB.
        if (TimeZoneInfo.TryFindSystemTimeZoneById(s, out var info) && info.HasIanaId)
        {
            zone = new SqlTimeZone(s, info, null);
            return true;
        }

        return false;
    }

    /// <summary>A naive UTC timestamp expression as this zone's wall-clock time.</summary>
    public string ToLocal(string utc) => IsUtc ? utc : _fixedOffset is { } o
        ? $"({utc} + INTERVAL '{(long)o.TotalSeconds} seconds')"
        : $"timezone({Sql.Literal(Id)}, timezone('UTC', {utc}))";

    /// <summary>A wall-clock timestamp expression in this zone as naive UTC.</summary>
    public string FromLocal(string local) => IsUtc ? local : _fixedOffset is { } o
        ? $"({local} - INTERVAL '{(long)o.TotalSeconds} seconds')"
        : $"timezone('UTC', timezone({Sql.Literal(Id)}, {local}))";

    /// <summary>The zone's offset at a naive UTC instant, formatted as Joda's ZZ does (Z for UTC, else +05:30).</summary>
    public string OffsetText(string utc) => IsUtc ? "'Z'"
        : $"(CASE WHEN __o = 0 THEN 'Z' ELSE printf('%s%02d:%02d', CASE WHEN __o < 0 THEN '-' ELSE '+' END, abs(__o) // 3600, (abs(__o) % 3600) // 60) END)"
            .Replace("__o", $"CAST(epoch({ToLocal(utc)}) - epoch({utc}) AS BIGINT)");

    /// <summary>A TIMESTAMP literal's text as an instant: an explicit offset or Z wins, otherwise it is wall-clock time here.</summary>
    public bool TryParseLiteral(string text, out DateTimeOffset instant)
    {
        var s = text.Trim().Replace(' ', 'T');
        if (!DruidTime.TryParse(s, out instant))
        {
            return false;
        }

        if (IsUtc || ZoneDesignator().IsMatch(s))
        {
            return true;
        }

        var wallClock = DateTime.SpecifyKind(instant.UtcDateTime, DateTimeKind.Unspecified);
        if (_zone.IsInvalidTime(wallClock))
        {
            // A wall-clock time skipped by a daylight-saving jump: Joda moves it forward past the gap, as here.
            wallClock = wallClock.AddHours(1);
        }

        instant = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(wallClock, _zone), TimeSpan.Zero);
        return true;
    }

    /// <summary>An instant as Druid formats TIMESTAMP results in this zone: ISO-8601 with the zone's offset.</summary>
    public string Format(DateTimeOffset instant)
    {
        if (IsUtc)
        {
            return DruidTime.Format(instant);
        }

        var local = TimeZoneInfo.ConvertTime(instant, _zone);
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
    }

    public override string ToString() => Id;

    [GeneratedRegex(@"^(?:UTC|GMT)?(?<sign>[+-])(?<h>\d{1,2})(?::?(?<m>\d{2}))?$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex(@"T[\d:.,]*(?:Z|[+-]\d{2}(?::?\d{2})?)$", RegexOptions.IgnoreCase)]
    private static partial Regex ZoneDesignator();
}
