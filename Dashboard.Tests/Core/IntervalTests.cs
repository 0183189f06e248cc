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

    [Theory]
    [InlineData("P1000000Y/2026-01-01")]
    [InlineData("P99999999999Y/2026-01-01")]
    [InlineData("2026-01-01/P9000Y")]
    [InlineData("P3000Y/2026-01-01")]
    [InlineData("2026-01-01/10000-01-01")]
    [InlineData("-0001-01-01/2026-01-01")]
    [InlineData("2026-01-01/PT999999999999S")]
    public void TryParse_OutOfRange_IsFalseAndSaysOutOfRange_NeverThrows(string text)
    {
        Assert.False(Interval.TryParse(text, out _, out var outOfRange));
        Assert.True(outOfRange);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("2015-09-13/2015-09-12")]
    [InlineData("20150912/20150913")]
    public void TryParse_Malformed_IsNotOutOfRange(string text)
    {
        Assert.False(Interval.TryParse(text, out _, out var outOfRange));
        Assert.False(outOfRange);
    }

    [Fact]
    public void TryParse_TheWholeRange_IsAccepted() => Assert.True(Interval.TryParse("0001-01-01/9999-12-31", out _, out _));

    [Theory]
    [InlineData("P10001Y")]
    [InlineData("P3652501D")]
    [InlineData("P9999999999D")]
    public void IsoPeriod_LongerThan10000Years_DoesNotParse_AndSaysOutOfRange(string text)
    {
        Assert.False(IsoPeriod.TryParse(text, out _, out var outOfRange));
        Assert.True(outOfRange);
        Assert.False(Granularity.TryParse(System.Text.Json.Nodes.JsonValue.Create(text), out _, out _));
    }

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
