using Dashboard.Core.Errors;
using Dashboard.Core.Ingestion.Engine;
using Dashboard.Core.Ingestion.Spec;

namespace Dashboard.Tests.Ingestion;

public sealed class FlattenPathTests
{
    [Theory]
    [InlineData("path", "$.meta.user.name", "\"meta\".\"user\".\"name\"")]
    [InlineData("path", "$['meta']['user name']", "\"meta\".\"user name\"")]
    [InlineData("path", "$.tags[0]", "\"tags\"[1]")]
    [InlineData("jq", ".meta.tags[2].id", "\"meta\".\"tags\"[3].\"id\"")]
    [InlineData("root", "col\"x", "\"col\"\"x\"")]
    public void ToSql_SupportedPath_IsStructAndListAccess(string type, string expr, string sql) =>
        Assert.Equal(sql, FlattenPath.ToSql(new FlattenField(type, "f", expr)));

    [Theory]
    [InlineData("path", "$.meta[*].name")]
    [InlineData("path", "$..name")]
    [InlineData("path", "meta.name")]
    [InlineData("jq", "$.meta")]
    [InlineData("path", "$.a[?(@.b)]")]
    public void ToSql_UnsupportedPath_Is400NamingTheExpr(string type, string expr)
    {
        var error = Assert.Throws<DruidException>(() => FlattenPath.ToSql(new FlattenField(type, "f", expr)));
        Assert.Equal(400, error.StatusCode);
        Assert.Contains(expr, error.Message);
    }
}
