using DuckDB.NET.Data;

namespace Dashboard.Tests.Engine;

/// <summary>Reads a session's security and resource settings back from DuckDB itself.</summary>
public static class SessionSettings
{
    /// <summary>What every sealed session must report.</summary>
    public static readonly Dictionary<string, string> Sealed = new()
    {
        ["autoinstall_known_extensions"] = "False",
        ["autoload_known_extensions"] = "False",
        ["allow_community_extensions"] = "False",
        ["allow_unsigned_extensions"] = "False",
        ["enable_external_access"] = "False",
        ["lock_configuration"] = "True",
    };

    private static readonly string[] Names = [.. Sealed.Keys, "memory_limit", "threads", "temp_directory"];

    public static async Task<Dictionary<string, string>> ReadAsync(DuckDBConnection db)
    {
        await using var command = db.CreateCommand();
        command.CommandText = "SELECT " + string.Join(", ", Names.Select(n => $"current_setting('{n}')::VARCHAR"));
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return Names.Select((n, i) => (n, Value: Normalise(reader.GetString(i)))).ToDictionary(p => p.n, p => p.Value);
    }

    private static string Normalise(string value) => value switch { "true" => "True", "false" => "False", _ => value };
}
