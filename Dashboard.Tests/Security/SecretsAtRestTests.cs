using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Security;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Security;

/// <summary>
/// Passwords of submitted specs are encrypted before they reach the metadata store: a copy of the SQLite file (WAL
/// included) read without the data-protection keys holds no clear password, and the server's keys decrypt it.
/// </summary>
public sealed class SecretsAtRestTests(SecretsServer server) : IClassFixture<SecretsServer>
{
    private const string Secret = SecretsServer.Secret;

    [Fact]
    public async Task MetadataStore_AfterHttpIngestions_HoldsNoClearPassword_InAnyRowOrByteOfItsFiles()
    {
        var native = await server.SubmitAsync(server.NativeBatchSpec(SecretsServer.Unique("rest_native")));
        var sql = await server.SubmitSqlAsync(server.ExternInsertSql(SecretsServer.Unique("rest_sql")));
        await server.WaitForSuccessAsync(native);
        await server.WaitForSuccessAsync(sql);

        var database = Path.Combine(server.Server.DataDir, "metadata.db");
        var payloads = await ReadPayloadsAsync(database);
        Assert.Contains(native, payloads.Keys);
        Assert.Contains(sql, payloads.Keys);
        Assert.Contains(TaskPayloadSecrets.Prefix, payloads[native]);
        Assert.Contains(TaskPayloadSecrets.Prefix, payloads[sql]);
        Assert.DoesNotContain(payloads.Values, payload => payload.Contains(Secret));

        var secretBytes = Encoding.UTF8.GetBytes(Secret);
        var files = new[] { database, database + "-wal", database + "-shm" }.Where(File.Exists).ToList();
        Assert.Contains(database + "-wal", files);
        foreach (var file in files)
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            Assert.True(copy.ToArray().AsSpan().IndexOf(secretBytes) < 0, $"{Path.GetFileName(file)} holds the password in clear");
        }
    }

    [Fact]
    public async Task StoredPayload_TheServersKeys_DecryptItToTheSubmittedPassword()
    {
        var id = await server.SubmitAsync(server.NativeBatchSpec(SecretsServer.Unique("rest_keys")));
        await server.WaitForSuccessAsync(id);
        var stored = JsonNode.Parse((await ReadPayloadsAsync(Path.Combine(server.Server.DataDir, "metadata.db")))[id])!.AsObject();

        var clear = server.Server.Services.GetRequiredService<TaskPayloadSecrets>().Unprotect(stored);

        Assert.IsType<Dashboard.Security.DataProtectionSecretProtector>(server.Server.Services.GetRequiredService<ISecretProtector>());
        Assert.NotEmpty(Directory.EnumerateFiles(Path.Combine(server.Server.DataDir, "keys"), "*.xml"));

        var source = clear["spec"]!["ioConfig"]!["inputSource"]!;
        Assert.Equal(Secret, source["httpAuthenticationPassword"]!["password"]!.GetValue<string>());
        Assert.Equal("default", source["httpAuthenticationPassword"]!["type"]!.GetValue<string>());
        Assert.Equal(server.Input.Uri, source["uris"]![0]!.GetValue<string>());
    }

    private static async Task<Dictionary<string, string>> ReadPayloadsAsync(string database)
    {
        var payloads = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, payload FROM tasks";
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            payloads[reader.GetString(0)] = reader.GetString(1);
        }

        return payloads;
    }
}
