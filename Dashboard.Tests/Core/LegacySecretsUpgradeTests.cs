using System.Text.Json.Nodes;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Dashboard.Core.Tasks;
using Dashboard.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Dashboard.Tests.Core;

/// <summary>A store written by a version that kept secrets in clear is protected at the first start of this one, once.</summary>
public sealed class LegacySecretsUpgradeTests : IDisposable
{
    private const string Secret = "legacy-Pa55-c9d2";
    private readonly TempDataDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Start_OnAStoreWithClearSecrets_EncryptsPayloadsAndMasksReportsAndErrors_Once()
    {
        await using (var before = await CoreHarness.StartAsync(_dir.Path))
        {
            var payload = """{"type":"index_parallel","id":"old","spec":{"ioConfig":{"inputSource":{"type":"http","uris":["http://u:SECRET@h/a.json"],"httpAuthenticationPassword":"SECRET"}}}}"""
                .Replace("SECRET", Secret);
            var error = $"Cannot read http://u:{Secret}@h/a.json";
            var record = new TaskRecord("old", "old", "index_parallel", "wiki", DateTimeOffset.UtcNow,
                new TaskStatus("old", TaskState.FAILED, 5, error, TaskLocation.Unknown), error);
            await before.Store.BulkInsertCompleteAsync([(record, payload)], default);
            await before.Store.SaveReportAsync("old", JsonNode.Parse("""{"r":{"inputSource":{"httpAuthenticationPassword":"SECRET"}}}""".Replace("SECRET", Secret))!.AsObject(), default);
            await ForgetUpgradeAsync(before.Store.DatabasePath);
        }

        await using (var after = await CoreHarness.StartAsync(_dir.Path))
        {
            var stored = await after.Store.GetPayloadAsync("old", default);
            Assert.DoesNotContain(Secret, stored);
            Assert.Contains(TaskPayloadSecrets.Prefix, stored);
            Assert.Equal(Secret, after.Get<TaskPayloadSecrets>().Unprotect(JsonNode.Parse(stored!)!.AsObject())["spec"]!["ioConfig"]!["inputSource"]!["httpAuthenticationPassword"]!.GetValue<string>());
            Assert.DoesNotContain(Secret, await after.Store.GetReportAsync("old", default));
            var status = await after.StatusAsync("old");
            Assert.DoesNotContain(Secret, status.ErrorMsg);
            Assert.DoesNotContain(Secret, (await after.Store.GetAsync("old", default))!.ErrorDetail);
            Assert.Equal(0, await after.Store.ProtectLegacySecretsAsync(after.Get<TaskPayloadSecrets>().Protect, default));
        }
    }

    // As if the store had been written by a version before the upgrade existed.
    private static async Task ForgetUpgradeAsync(string database)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM store_upgrades";
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
