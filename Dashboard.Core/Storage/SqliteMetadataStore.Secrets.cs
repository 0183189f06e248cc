using System.Text.Json.Nodes;
using Dashboard.Core.Common;
using Dashboard.Core.Security;
using Microsoft.Data.Sqlite;

namespace Dashboard.Core.Storage;

/// <summary>
/// The one-time upgrade of a store written before secrets were protected at rest: clear secrets in payloads are
/// encrypted, reports and error messages masked, in one transaction; a row in <c>store_upgrades</c> records that it ran.
/// </summary>
public sealed partial class SqliteMetadataStore
{
    private const string SecretsUpgrade = "secrets-at-rest-v1";

    public Task<int> ProtectLegacySecretsAsync(Func<JsonObject, JsonObject> protectPayload, CancellationToken cancellationToken) =>
        _writer.WriteAsync((c, t) =>
        {
            Command(c, t, "CREATE TABLE IF NOT EXISTS store_upgrades (name TEXT NOT NULL PRIMARY KEY, done_ms INTEGER NOT NULL)").ExecuteNonQuery();
            if (Command(c, t, "SELECT COUNT(*) FROM store_upgrades WHERE name = @name", ("@name", SecretsUpgrade)).ExecuteScalar() is > 0L)
            {
                return 0;
            }

            var changed = Rewrite(c, t, "SELECT id, payload FROM tasks", "UPDATE tasks SET payload = @value WHERE id = @id",
                json => Rewritten(json, j => SecretMasker.MaskJson(j).ToJsonString(DruidJson.Options) == j.ToJsonString(DruidJson.Options) ? null : protectPayload(j)));
            changed += Rewrite(c, t, "SELECT task_id, report FROM task_reports", "UPDATE task_reports SET report = @value WHERE task_id = @id",
                json => Rewritten(json, SecretMasker.MaskJson));
            changed += Rewrite(c, t, "SELECT id, error_msg FROM tasks WHERE error_msg IS NOT NULL", "UPDATE tasks SET error_msg = @value WHERE id = @id",
                SecretMasker.MaskText);
            changed += Rewrite(c, t, "SELECT id, error_detail FROM tasks WHERE error_detail IS NOT NULL", "UPDATE tasks SET error_detail = @value WHERE id = @id",
                SecretMasker.MaskText);
            Command(c, t, "INSERT INTO store_upgrades (name, done_ms) VALUES (@name, @now)",
                ("@name", SecretsUpgrade), ("@now", _time.GetUtcNow().ToUnixTimeMilliseconds())).ExecuteNonQuery();
            return changed;
        }, cancellationToken);

    // The rewritten JSON text, or the text itself when nothing in it changes (or it is not a JSON object).
    private static string Rewritten(string json, Func<JsonObject, JsonObject?> rewrite) =>
        JsonNode.Parse(json) is JsonObject parsed && rewrite(parsed) is { } result && result.ToJsonString(DruidJson.Options) is var text && text != parsed.ToJsonString(DruidJson.Options)
            ? text
            : json;

    private static int Rewrite(SqliteConnection c, SqliteTransaction t, string select, string update, Func<string, string> rewrite)
    {
        var updates = new List<(string Id, string Value)>();
        using (var reader = Command(c, t, select).ExecuteReader())
        {
            while (reader.Read())
            {
                var value = reader.GetString(1);
                if (rewrite(value) is var rewritten && rewritten != value)
                {
                    updates.Add((reader.GetString(0), rewritten));
                }
            }
        }

        foreach (var (id, value) in updates)
        {
            Command(c, t, update, ("@id", id), ("@value", value)).ExecuteNonQuery();
        }

        return updates.Count;
    }
}
