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

    public static bool TryParse(string? text, out Interval interval)
    {
        interval = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Trim().Split('/');
        if (parts.Length != 2)
        {
            return false;
        }

        DateTimeOffset start, end;
        if (DruidTime.TryParse(parts[0], out start))
        {
            if (DruidTime.TryParse(parts[1], out end))
            {
            }
            else if (IsoPeriod.TryParse(parts[1], out var period))
            {
                end = period.AddTo(start);
            }
            else
            {
                return false;
            }
        }
        else if (IsoPeriod.TryParse(parts[0], out var period) && DruidTime.TryParse(parts[1], out end))
        {
            start = period.AddTo(end, -1);
        }
        else
        {
            return false;
        }

        if (end < start)
        {
            return false;
        }

        interval = new Interval(start, end);
        return true;
    }

    public static Interval Parse(string text) =>
        TryParse(text, out var i) ? i : throw new FormatException(
            $"Cannot parse [{text}] as an ISO-8601 interval; expected start/end, start/period or period/end, e.g. 2015-09-12/2015-09-13.");
}
