using Dashboard.Core.Common;

namespace Dashboard.Tests.Engine;

/// <summary>Time chunks counted and spanned by arithmetic, matching what one bucket after another would give.</summary>
public sealed class TimeChunksTests
{
    private static Granularity Parse(string name) => Granularity.TryParse(System.Text.Json.Nodes.JsonValue.Create(name), out var g, out _) ? g : throw new ArgumentException(name);

    /// <summary>The slow reference: one bucket after another.</summary>
    private static long Enumerated(Granularity granularity, Interval interval)
    {
        long count = 0;
        for (var bucket = granularity.BucketOf(interval.Start); bucket.Start < interval.End; bucket = granularity.BucketOf(bucket.End))
        {
            count++;
        }

        return count;
    }

    [Theory]
    [InlineData("hour", "2015-09-12T00:00:00Z/2015-09-13T00:00:00Z", 24)]
    [InlineData("hour", "2015-09-12T00:30:00Z/2015-09-12T01:30:00Z", 2)]
    [InlineData("day", "2015-09-12T00:00:00Z/2015-09-12T00:00:01Z", 1)]
    [InlineData("month", "2015-01-15T00:00:00Z/2016-01-15T00:00:00Z", 13)]
    [InlineData("quarter", "2015-02-01T00:00:00Z/2015-12-01T00:00:00Z", 4)]
    [InlineData("year", "1960-06-01T00:00:00Z/1980-06-01T00:00:00Z", 21)]
    [InlineData("week", "2015-09-01T00:00:00Z/2015-10-01T00:00:00Z", 5)]
    [InlineData("fifteen_minute", "1969-12-31T23:00:00Z/1970-01-01T01:00:00Z", 8)]
    [InlineData("all", "2015-01-01T00:00:00Z/2016-01-01T00:00:00Z", 1)]
    public void Count_MatchesEnumeratingTheBuckets(string granularity, string interval, long expected)
    {
        var g = Parse(granularity);
        var i = Interval.Parse(interval);

        Assert.Equal(expected, TimeChunks.Count(g, i));
        if (!g.IsAll)
        {
            Assert.Equal(Enumerated(g, i), TimeChunks.Count(g, i));
        }
    }

    [Fact]
    public void Count_HourOverTenThousandYears_IsTheNumberOfHours_Instantly()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var count = TimeChunks.Count(Parse("hour"), Interval.Parse("0001-01-01/9999-01-01"));

        Assert.Equal((long)(new DateTime(9999, 1, 1) - new DateTime(1, 1, 1)).TotalHours, count);
        Assert.True(clock.ElapsedMilliseconds < 50, $"took {clock.ElapsedMilliseconds} ms");
    }

    [Fact]
    public void Span_CoversTheFirstChunksStartToTheLastChunksEnd()
    {
        Assert.Equal(Interval.Parse("2015-09-12T00:00:00Z/2015-09-14T00:00:00Z"), TimeChunks.Span(Granularity.Day, Interval.Parse("2015-09-12T05:00:00Z/2015-09-13T07:00:00Z")));
        Assert.Equal(Interval.Eternity, TimeChunks.Span(Granularity.All, Interval.Parse("2015-09-12/2015-09-13")));
        Assert.Equal(Interval.Parse("0001-01-01/9999-01-01"), TimeChunks.Span(Parse("hour"), Interval.Parse("0001-01-01/9999-01-01")));
    }
}
