namespace Dashboard.Core.Common;

/// <summary>
/// A half-open time interval [Start, End) as Druid writes it: <c>2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z</c>.
/// Parses <c>start/end</c>, <c>start/period</c> and <c>period/end</c>.
/// </summary>
public readonly record struct Interval(DateTimeOffset Start, DateTimeOffset End)
{
    public static readonly Interval Eternity = new(DateTimeOffset.MinValue, DateTimeOffset.MaxValue);

    public bool Overlaps(Interval other) => Start < other.End && other.Start < End;

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    public bool Contains(Interval other) => other.Start >= Start && other.End <= End;

    public TimeSpan Duration => End - Start;

    public override string ToString() => $"{DruidTime.Format(Start)}/{DruidTime.Format(End)}";

    public static bool TryParse(string? text, out Interval interval) => TryParse(text, out interval, out _);

    /// <summary>
    /// Parses an interval; <paramref name="outOfRange"/> says it was well formed but reaches outside the years 0001-9999
    /// (a year of five digits or a negative one, a period over 10,000 years, an end past 9999), so callers can answer
    /// a 400 that says so instead of "not an interval".
    /// </summary>
    public static bool TryParse(string? text, out Interval interval, out bool outOfRange)
    {
        interval = default;
        outOfRange = false;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('/');
        if (parts.Length != 2)
        {
            return false;
        }

        var yearOutOfRange = DruidTime.IsOutOfRange(parts[0]) || DruidTime.IsOutOfRange(parts[1]);
        IsoPeriod period;
        bool periodOutOfRange;
        DateTimeOffset start, end;
        try
        {
            if (DruidTime.TryParse(parts[0], out start))
            {
                if (DruidTime.TryParse(parts[1], out end))
                {
                }
                else if (IsoPeriod.TryParse(parts[1], out period, out periodOutOfRange))
                {
                    end = period.AddTo(start);
                }
                else
                {
                    outOfRange = yearOutOfRange || periodOutOfRange;
                    return false;
                }
            }
            else if (IsoPeriod.TryParse(parts[0], out period, out periodOutOfRange) && DruidTime.TryParse(parts[1], out end))
            {
                start = period.AddTo(end, -1);
            }
            else
            {
                outOfRange = yearOutOfRange || periodOutOfRange;
                return false;
            }
        }
        catch (ArgumentOutOfRangeException)
        {
            outOfRange = true; // the period carries the other end past year 9999 or before year 1
            return false;
        }

        if (end < start)
        {
            return false;
        }

        interval = new Interval(start, end);
        return true;
    }

    /// <summary>The 400 message for an interval parameter that <see cref="TryParse(string?, out Interval, out bool)"/> found out of range.</summary>
    public static string OutOfRangeMessage(string parameter, string value) =>
        $"Invalid {parameter} [{value}]: the interval reaches outside the years 0001 to 9999 (periods of at most 10000 years) that this server handles. " +
        "Give an interval within them, e.g. 2015-09-12/2015-09-13 or 2015-09-12/P1D.";

    public static Interval Parse(string text) =>
        TryParse(text, out var i) ? i : throw new FormatException(
            $"Cannot parse [{text}] as an ISO-8601 interval; expected start/end, start/period or period/end, e.g. 2015-09-12/2015-09-13.");
}
