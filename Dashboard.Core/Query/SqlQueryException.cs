namespace Dashboard.Core.Query;

/// <summary>
/// A query failure Druid's broker answers in its legacy QueryException shape
/// (<c>{"error": code, "errorMessage", "errorClass", "host"}</c>): capacity, timeout, cancellation and runtime failures.
/// </summary>
public sealed class SqlQueryException(int statusCode, string errorCode, string message, string errorClass) : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string ErrorCode { get; } = errorCode;

    public string ErrorClass { get; } = errorClass;

    public static SqlQueryException CapacityExceeded(int capacity) =>
        new(429, "Query capacity exceeded",
            $"Too many concurrent queries, total query capacity of {capacity} exceeded. Please try your query again later " +
            $"(or raise Sql:MaxConcurrentQueries, {capacity} now).",
            "org.apache.druid.query.QueryCapacityExceededException");

    public static SqlQueryException Timeout(string sqlQueryId, TimeSpan timeout) =>
        new(504, "Query timeout",
            $"Query [{sqlQueryId}] timed out after {(long)timeout.TotalMilliseconds} ms. Narrow the query (a __time filter reads fewer segments) or raise context.timeout.",
            "org.apache.druid.query.QueryTimeoutException");

    public static SqlQueryException Canceled(string sqlQueryId) =>
        new(500, "Query cancelled", $"Query [{sqlQueryId}] was cancelled.", "org.apache.druid.query.QueryInterruptedException");

    public static SqlQueryException Failed(string message) =>
        new(500, "Unknown exception", message, "org.apache.druid.query.QueryException");
}
