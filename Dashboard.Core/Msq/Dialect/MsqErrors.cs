using Dashboard.Core.Errors;

namespace Dashboard.Core.Msq.Dialect;

/// <summary>Planning errors of SQL ingestion, shaped as Druid's InvalidSqlInput (druid-behaviour.md §5.6).</summary>
public static class MsqErrors
{
    public static DruidException Invalid(string message) =>
        new(400, ErrorBodyShape.ErrorResponse, message, "invalidInput", "INVALID_INPUT", "USER", new Dictionary<string, string> { ["sourceType"] = "sql" });

    public static DruidException Parse(string message, int line, int column) =>
        new(400, ErrorBodyShape.ErrorResponse, message, "invalidInput", "INVALID_INPUT", "USER",
            new Dictionary<string, string> { ["sourceType"] = "sql", ["line"] = line.ToString(), ["column"] = column.ToString() });
}
