using System.Text.Json.Nodes;

namespace Dashboard.Core.Query;

/// <summary>A request to Druid's SQL query API: the statement, its dynamic parameters and its context.</summary>
public sealed record SqlQueryRequest(string Query, JsonObject Context, JsonArray? Parameters)
{
    /// <summary>Whether the caller may READ a datasource: system tables leave out the rows of those it may not.</summary>
    public Func<string, bool> CanRead { get; init; } = _ => true;
}
