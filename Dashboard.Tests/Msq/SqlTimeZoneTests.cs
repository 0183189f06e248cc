using Dashboard.Core.Msq.Dialect;

namespace Dashboard.Tests.Msq;

public class SqlTimeZoneTests
{
    [Theory]
    [InlineData("America/Los_Angeles", "2015-01-12 10:00:00", "2015-01-12T18:00:00.0000000+00:00")]
    [InlineData("America/Los_Angeles", "2015-07-12 10:00:00", "2015-07-12T17:00:00.0000000+00:00")]
    [InlineData("America/Los_Angeles", "2015-07-12T10:00:00Z", "2015-07-12T10:00:00.0000000+00:00")]
    [InlineData("America/Los_Angeles", "2015-07-12T10:00:00+02:00", "2015-07-12T08:00:00.0000000+00:00")]
    [InlineData("America/Los_Angeles", "2015-03-08 02:30:00", "2015-03-08T10:30:00.0000000+00:00")]
    [InlineData("+05:30", "2015-07-12", "2015-07-11T18:30:00.0000000+00:00")]
    [InlineData("UTC", "2015-07-12", "2015-07-12T00:00:00.0000000+00:00")]
    public void TryParseLiteral_WithoutAnOffset_IsWallClockTimeInTheZone(string zone, string literal, string expected)
    {
        Assert.True(SqlTimeZone.TryParse(zone, out var z));

        Assert.True(z.TryParseLiteral(literal, out var instant));

        Assert.Equal(expected, instant.ToString("o"));
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons")]
    [InlineData("+25:00")]
    [InlineData("")]
    [InlineData("Pacific Standard Time")]
    public void TryParse_NotAZone_IsFalse(string zone) => Assert.False(SqlTimeZone.TryParse(zone, out _));

    [Fact]
    public void Format_InAZone_CarriesItsOffset_AndUtcKeepsZ()
    {
        var instant = new DateTimeOffset(2015, 9, 12, 7, 0, 0, TimeSpan.Zero);
        Assert.True(SqlTimeZone.TryParse("America/Los_Angeles", out var la));

        Assert.Equal("2015-09-12T00:00:00.000-07:00", la.Format(instant));
        Assert.Equal("2015-09-12T07:00:00.000Z", SqlTimeZone.Utc.Format(instant));
    }

    [Fact]
    public void OverwriteWhere_InAZone_NamesTheUtcChunks()
    {
        var statement = DruidSqlParser.Parse(
            "SET sqlTimeZone = 'Asia/Kolkata'; REPLACE INTO t OVERWRITE WHERE __time >= TIMESTAMP '2015-09-12 05:30:00' AND __time < TIMESTAMP '2015-09-13 05:30:00' SELECT * FROM u PARTITIONED BY DAY");

        Assert.Equal("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z", Assert.Single(statement.OverwriteIntervals!).ToString());
    }
}
