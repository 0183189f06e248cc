namespace Dashboard.Core.Msq.Execution;

/// <summary>DuckDB types as Druid names them in signatures (native) and sqlTypeNames (SQL).</summary>
public static class MsqTypes
{
    public static MsqColumn FromDuckDb(string name, string duckType) => duckType.ToUpperInvariant() switch
    {
        "BIGINT" or "INTEGER" or "SMALLINT" or "TINYINT" or "HUGEINT" or "UBIGINT" or "UINTEGER" or "BOOLEAN" => new(name, "LONG", duckType == "BOOLEAN" ? "BOOLEAN" : "BIGINT"),
        "DOUBLE" or "REAL" => new(name, "DOUBLE", "DOUBLE"),
        "FLOAT" => new(name, "FLOAT", "FLOAT"),
        var t when t.StartsWith("DECIMAL", StringComparison.Ordinal) => new(name, "DOUBLE", "DOUBLE"),
        var t when t.StartsWith("TIMESTAMP", StringComparison.Ordinal) || t == "DATE" => new(name, "LONG", "TIMESTAMP"),
        var t when t.EndsWith("[]", StringComparison.Ordinal) => new(name, "ARRAY<STRING>", "VARCHAR ARRAY"),
        _ => new(name, "STRING", "VARCHAR"),
    };

    /// <summary>The DuckDB type for a column of an EXTERN signature.</summary>
    public static string DuckDbTypeOf(string druidType) => druidType.ToLowerInvariant() switch
    {
        "long" => "BIGINT",
        "double" => "DOUBLE",
        "float" => "FLOAT",
        _ => "VARCHAR",
    };
}
