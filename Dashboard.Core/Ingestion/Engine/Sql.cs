using System.Globalization;

namespace Dashboard.Core.Ingestion.Engine;

/// <summary>Quoting for generated DuckDB SQL. Every name and value from a spec goes through here.</summary>
public static class Sql
{
    public static string Name(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    public static string Literal(string? value) => value is null ? "NULL" : "'" + value.Replace("'", "''") + "'";

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Timestamp(DateTimeOffset value) =>
        $"TIMESTAMP '{value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)}'";
}
