using System.Text.Json.Nodes;

namespace Dashboard.Core.Query;

/// <summary>A request to Druid's SQL query API: the statement, its dynamic parameters and its context.</summary>
public sealed record SqlQueryRequest(string Query, JsonObject Context, JsonArray? Parameters);
