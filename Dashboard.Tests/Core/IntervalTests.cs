using Dashboard.Core.Common;

namespace Dashboard.Tests.Core;

public class IntervalTests
{
    [Theory]
    [InlineData("2015-09-12/2015-09-13", "2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z")]
    [InlineData("2015-09-12T00:00:00Z/2015-09-13T23:59:59Z", "2015-09-12T00:00:00.000Z/2015-09-13T23:59:59.000Z")]
    [InlineData("2010-01-01/P1D", "2010-01-01T00:00:00.000Z/2010-01-02T00:00:00.000Z")]
    [InlineData("P1M/2010-03-01", "2010-02-01T00:00:00.000Z/2010-03-01T00:00:00.000Z")]
    [InlineData("2015-09-12T10:00:00+02:00/PT1H", "2015-09-12T08:00:00.000Z/2015-09-12T09:00:00.000Z")]
    public void Parse_IsoForms_GivesUtcInterval(string text, string expected) => Assert.Equal(expected, Interval.Parse(text).ToString());

    [Theory]
    [InlineData("nonsense")]
    [InlineData("2015-09-13/2015-09-12")]
    [InlineData("2015-09-12")]
    public void TryParse_Invalid_ReturnsFalse(string text) => Assert.False(Interval.TryParse(text, out _));

    [Fact]
    public void Overlaps_IsHalfOpen()
    {
        var a = Interval.Parse("2015-09-12/2015-09-13");
        Assert.False(a.Overlaps(Interval.Parse("2015-09-13/2015-09-14")));
        Assert.True(a.Overlaps(Interval.Parse("2015-09-12T23:00:00Z/2015-09-14")));
    }

    [Fact]
    public void IsoPeriod_PT24H_IsOneDay() => Assert.Equal(TimeSpan.FromHours(24), IsoPeriod.Parse("PT24H").ToApproximateTimeSpan());
}
