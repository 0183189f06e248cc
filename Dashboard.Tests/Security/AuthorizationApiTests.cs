using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Dashboard.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Security;

/// <summary>
/// Every API and hub endpoint, enumerated from the server's route table, against a server with users: anonymous callers
/// get 401 with Druid's Basic challenge, viewers 403 on every write, operators 403 on user management, and the limited
/// operator only touches its data sources.
/// </summary>
public sealed class AuthorizationApiTests(SecuredServer secured) : IClassFixture<SecuredServer>
{
    private const string V1 = "/druid/indexer/v1";
    private static readonly string[] UnsecuredPaths = ["/status/health", "/druid/indexer/v1/isLeader"];

    /// <summary>Route endpoints of the API and the hub, each with its HTTP methods and declared access.</summary>
    private IReadOnlyList<(RouteEndpoint Endpoint, string Method, DruidAccess? Access)> SecuredEndpoints()
    {
        var endpoints = secured.Server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => DruidAuthorizationMiddleware.IsSecuredPattern(e.RoutePattern)).ToList();
        Assert.True(endpoints.Count > 25, $"only {endpoints.Count} API endpoints found");
        return endpoints.SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            .Select(m => (e, m, e.Metadata.GetMetadata<DruidAccess>()))).ToList();
    }

    private static string Path(RouteEndpoint endpoint, string taskId)
    {
        var path = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
        foreach (var parameter in endpoint.RoutePattern.Parameters)
        {
            var value = parameter.Name switch
            {
                "taskId" => taskId,
                "dataSource" => "wikipedia",
                "userName" => "someone_new",
                "roleName" => "operator",
                "authenticator" or "authorizer" => "basic",
                _ => "x",
            };
            path = path.Replace($"{{**{parameter.Name}}}", value).Replace($"{{*{parameter.Name}}}", value).Replace($"{{{parameter.Name}}}", value);
        }

        return path;
    }

    private static HttpRequestMessage Request(string method, string path)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT")
        {
            var body = path switch
            {
                _ when path.EndsWith("/task") => """{"type":"noop","dataSource":"wikipedia","runTime":600000}""",
                _ when path.StartsWith("/druid/v2/sql/task") => """{"query":"INSERT INTO wikipedia SELECT TIME_PARSE('2026-01-01') AS __time FROM (VALUES (1)) PARTITIONED BY DAY"}""",
                _ when path.EndsWith("/taskStatus") => """["x"]""",
                _ when path.EndsWith("/credentials") => """{"password":"new-password-123"}""",
                _ => "{}",
            };
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private async Task<string> ActiveTaskAsync(string dataSource = "wikipedia")
    {
        var response = await secured.Admin.PostAsync($"{V1}/task",
            new StringContent($$"""{"type":"noop","dataSource":"{{dataSource}}","runTime":600000}""", Encoding.UTF8, "application/json"));
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["task"]!.GetValue<string>();
    }

    [Fact]
    public void EveryApiEndpoint_DeclaresItsAccess_AndOnlyHealthAndIsLeaderAreUnsecured()
    {
        var endpoints = SecuredEndpoints();
        Assert.All(endpoints, e => Assert.True(e.Access is not null, $"{e.Method} {e.Endpoint.RoutePattern.RawText} declares no RequireDruidAccess"));
        var unsecured = endpoints.Where(e => ReferenceEquals(e.Access, DruidAccess.Unsecured)).Select(e => "/" + e.Endpoint.RoutePattern.RawText!.TrimStart('/')).Order();
        Assert.Equal(UnsecuredPaths.Order(), unsecured);
    }

    [Fact]
    public async Task Anonymous_Gets401WithBasicChallenge_OnEveryEndpoint()
    {
        var taskId = await ActiveTaskAsync();
        var checkedCount = 0;
        foreach (var (endpoint, method, access) in SecuredEndpoints())
        {
            var path = Path(endpoint, taskId);
            using var response = await secured.Anonymous.SendAsync(Request(method, path));
            if (ReferenceEquals(access, DruidAccess.Unsecured))
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                continue;
            }

            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path}: {(int)response.StatusCode}");
            Assert.Equal("Basic realm=\"druid\"", response.Headers.WwwAuthenticate.ToString());
            checkedCount++;
        }

        Assert.True(checkedCount > 25);
    }

    [Fact]
    public async Task WrongPassword_Gets401_AndIsAudited()
    {
        using var response = await secured.As("viewer", "not-the-password").GetAsync($"{V1}/tasks");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var audit = await secured.Server.Services.GetRequiredService<IAuditLog>().GetRecentAsync(1000, default);
        Assert.Contains(audit, e => e.Action == "login.failed" && e.Target == "viewer" && e.RemoteAddress is not null);
    }

    [Fact]
    public async Task Viewer_Gets403_OnEveryWrite_InDruidsShape_AndNothingChanges()
    {
        var taskId = await ActiveTaskAsync();
        var writes = SecuredEndpoints().Where(e => e.Access?.Action == DruidAction.WRITE).ToList();
        Assert.Contains(writes, e => e.Endpoint.RoutePattern.RawText!.EndsWith("/shutdown"));
        Assert.Contains(writes, e => e.Endpoint.RoutePattern.RawText!.Contains("pendingSegments"));
        Assert.Contains(writes, e => e.Endpoint.RoutePattern.RawText!.Contains("sql/task"));

        // Every POST or DELETE is a write, except the ones that only read (bulk status, the hub's transport, an
        // interactive SELECT and its cancellation, which Druid authorizes as READ on the datasources read).
        foreach (var (endpoint, method, access) in SecuredEndpoints().Where(e => e.Method is "POST" or "DELETE" && e.Access?.Action != DruidAction.WRITE))
        {
            var raw = endpoint.RoutePattern.RawText!;
            var interactiveSql = ReferenceEquals(access, DruidAccess.SqlQuery) || ReferenceEquals(access, DruidAccess.SqlQueryCancel);
            Assert.True(raw.EndsWith("/taskStatus") || raw.StartsWith("/hubs") || interactiveSql, $"{method} {raw} is declared {access?.Description}");
        }

        var before = await secured.Admin.GetFromJsonAsync<JsonArray>($"{V1}/tasks");
        foreach (var (endpoint, method, _) in writes)
        {
            var path = Path(endpoint, taskId);
            using var response = await secured.Viewer.SendAsync(Request(method, path));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode} {body}");
            if (path.StartsWith("/druid/v2/sql/task"))
            {
                var sqlStatus = JsonNode.Parse(body)!;
                Assert.Equal("forbidden", sqlStatus["taskId"]!.GetValue<string>());
                Assert.Equal("FAILED", sqlStatus["state"]!.GetValue<string>());
                Assert.Equal("FORBIDDEN", sqlStatus["error"]!["category"]!.GetValue<string>());
                Assert.Equal("Unauthorized", sqlStatus["error"]!["errorMessage"]!.GetValue<string>());
            }
            else
            {
                Assert.Equal("""{"Access-Check-Result":"Unauthorized"}""", body);
            }
        }

        var after = await secured.Admin.GetFromJsonAsync<JsonArray>($"{V1}/tasks");
        Assert.Equal(before!.Count, after!.Count);
        var status = await secured.Admin.GetFromJsonAsync<JsonObject>($"{V1}/task/{taskId}/status");
        Assert.Equal("RUNNING", status!["status"]!["statusCode"]!.GetValue<string>());
        await secured.Admin.PostAsync($"{V1}/task/{taskId}/shutdown", null);
    }

    [Fact]
    public async Task Viewer_ReadsEverything()
    {
        var taskId = await ActiveTaskAsync();
        foreach (var path in new[] { $"{V1}/tasks", $"{V1}/task/{taskId}", $"{V1}/task/{taskId}/status", $"{V1}/leader", "/status", "/druid/coordinator/v1/datasources" })
        {
            using var response = await secured.Viewer.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode}");
        }

        await secured.Admin.PostAsync($"{V1}/task/{taskId}/shutdown", null);
    }

    [Fact]
    public async Task Operator_CannotManageUsersOrReadTheAudit_AdminCan()
    {
        var config = SecuredEndpoints().Where(e => e.Endpoint.RoutePattern.RawText!.StartsWith("/druid-ext")).ToList();
        Assert.True(config.Count >= 7);
        foreach (var (endpoint, method, access) in config)
        {
            Assert.Equal(ResourceType.CONFIG, (await access!.Resolve(new DefaultHttpContext()))!.Type);
            var path = Path(endpoint, "x");
            using var response = await secured.Operator.SendAsync(Request(method, path));
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{method} {path}: {(int)response.StatusCode}");
        }

        using var users = await secured.Admin.GetAsync("/druid-ext/basic-security/authentication/db/basic/users");
        Assert.Equal(HttpStatusCode.OK, users.StatusCode);
        var names = JsonNode.Parse(await users.Content.ReadAsStringAsync())!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Subset(names.ToHashSet(), new HashSet<string> { "admin", "limited", "operator", "viewer" });
        using var audit = await secured.Admin.GetAsync("/druid-ext/audit?max=5");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);
    }

    [Fact]
    public async Task Admin_ManagesUsers_TheDruidWay_AndEveryChangeIsAudited()
    {
        const string auth = "/druid-ext/basic-security/authentication/db/basic/users";
        const string authz = "/druid-ext/basic-security/authorization/db/basic/users";
        var admin = secured.Admin;

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"{auth}/carol", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await secured.As("carol", "carol-password-1").GetAsync($"{V1}/tasks")).StatusCode); // no password yet
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"{auth}/carol/credentials",
            new StringContent("""{"password":"carol-password-1"}""", Encoding.UTF8, "application/json"))).StatusCode);
        var carol = secured.As("carol", "carol-password-1");
        Assert.Equal(HttpStatusCode.OK, (await carol.GetAsync($"{V1}/tasks")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await carol.PostAsync($"{V1}/datasources/wikipedia/shutdownAllTasks", null)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"{authz}/carol/roles/operator", null)).StatusCode);
        var roles = await admin.GetFromJsonAsync<JsonObject>($"{authz}/carol");
        Assert.Equal("operator", roles!["roles"]![0]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await carol.PostAsync($"{V1}/datasources/nothing_active/shutdownAllTasks", null)).StatusCode);

        var described = await admin.GetStringAsync($"{auth}/carol");
        Assert.DoesNotContain("carol-password-1", described);
        Assert.DoesNotContain("pbkdf2", described);

        using var configured = await admin.DeleteAsync($"{auth}/viewer");
        Assert.Equal(HttpStatusCode.BadRequest, configured.StatusCode);
        Assert.Contains("configuration", await configured.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync($"{auth}/carol")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await carol.GetAsync($"{V1}/tasks")).StatusCode);

        var audit = await admin.GetFromJsonAsync<JsonArray>("/druid-ext/audit?max=1000");
        foreach (var action in new[] { "user.create", "user.password", "user.role", "user.delete" })
        {
            Assert.Contains(audit!, e => e!["action"]!.GetValue<string>() == action && e["target"]!.GetValue<string>() == "carol"
                && e["author"]!.GetValue<string>() == "admin" && e["remoteAddress"] is not null);
        }

        Assert.DoesNotContain("carol-password-1", audit!.ToJsonString());
    }

    [Fact]
    public async Task DataSourcePermissions_LimitWritesAndFilterLists()
    {
        var own = await SubmitAs(secured.Limited, "wiki_edits");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var ownId = JsonNode.Parse(await own.Content.ReadAsStringAsync())!["task"]!.GetValue<string>();
        using var other = await SubmitAs(secured.Limited, "billing");
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("""{"Access-Check-Result":"Unauthorized"}""", await other.Content.ReadAsStringAsync());

        var foreign = await ActiveTaskAsync("billing");
        Assert.Equal(HttpStatusCode.Forbidden, (await secured.Limited.PostAsync($"{V1}/task/{foreign}/shutdown", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await secured.Limited.GetAsync($"{V1}/task/{foreign}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await secured.Limited.DeleteAsync($"{V1}/pendingSegments/billing")).StatusCode);

        var listed = await secured.Limited.GetFromJsonAsync<JsonArray>($"{V1}/tasks");
        Assert.Contains(listed!, t => t!["id"]!.GetValue<string>() == ownId);
        Assert.DoesNotContain(listed!, t => t!["dataSource"]!.GetValue<string>() == "billing");
        Assert.Contains(await secured.Admin.GetFromJsonAsync<JsonArray>($"{V1}/tasks") ?? [], t => t!["id"]!.GetValue<string>() == foreign);

        using var filtered = await secured.Limited.GetAsync($"{V1}/tasks?datasource=billing");
        Assert.Equal(HttpStatusCode.Forbidden, filtered.StatusCode);
        Assert.Equal("text/plain", filtered.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Access-Check-Result: Unauthorized", await filtered.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, (await secured.Limited.PostAsync($"{V1}/task/{ownId}/shutdown", null)).StatusCode);
        await secured.Admin.PostAsync($"{V1}/task/{foreign}/shutdown", null);
    }

    [Theory]
    [InlineData("INSERT INTO wiki_copy SELECT * FROM billing PARTITIONED BY DAY", HttpStatusCode.Forbidden)]
    [InlineData("SELECT COUNT(*) FROM billing", HttpStatusCode.Forbidden)]
    [InlineData("SELECT w.x FROM wiki_none w JOIN druid.billing b ON w.x = b.x", HttpStatusCode.Forbidden)]
    [InlineData("EXPLAIN PLAN FOR SELECT * FROM billing", HttpStatusCode.Forbidden)]
    [InlineData("SELECT COUNT(*) FROM wiki_none w, billing b", HttpStatusCode.Forbidden)]
    [InlineData("SELECT COUNT(*) FROM (SELECT 1 AS x) s, (SELECT * FROM wiki_none, druid.billing) t", HttpStatusCode.Forbidden)]
    [InlineData("SELECT COUNT(*) FROM wiki_none", HttpStatusCode.BadRequest)]
    [InlineData("WITH billing AS (SELECT 1 AS x) SELECT x FROM billing", HttpStatusCode.Accepted)]
    public async Task DataSourcePermissions_SqlNeedsReadOnEveryTableItReads(string query, HttpStatusCode expected)
    {
        using var response = await secured.Limited.PostAsJsonAsync("/druid/v2/sql/task", new JsonObject { ["query"] = query, ["context"] = new JsonObject { ["maxNumTasks"] = 2 } });

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Forbidden)
        {
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("forbidden", body["taskId"]!.GetValue<string>());
            Assert.Equal("FORBIDDEN", body["error"]!["category"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task EveryKindOfWrite_IsAudited_WithWhoWhenWhereWhat()
    {
        var op = secured.Operator;
        var id = JsonNode.Parse(await (await SubmitAs(op, "audited_ds")).Content.ReadAsStringAsync())!["task"]!.GetValue<string>();
        var second = JsonNode.Parse(await (await SubmitAs(op, "audited_ds")).Content.ReadAsStringAsync())!["task"]!.GetValue<string>();
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsync($"{V1}/task/{id}/shutdown", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.PostAsync($"{V1}/datasources/audited_ds/shutdownAllTasks", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.DeleteAsync($"{V1}/pendingSegments/audited_ds?interval=2000-01-01/2001-01-01")).StatusCode);
        using var sql = await op.PostAsync("/druid/v2/sql/task", new StringContent(
            """{"query":"INSERT INTO audited_sql SELECT TIME_PARSE('2026-01-01T00:00:00Z') AS __time, 'a' AS page FROM (VALUES (1)) AS t(x) PARTITIONED BY DAY"}""",
            Encoding.UTF8, "application/json"));
        var sqlBody = await sql.Content.ReadAsStringAsync();
        Assert.True(sql.StatusCode == HttpStatusCode.Accepted, sqlBody);

        var started = DateTimeOffset.UtcNow.AddMinutes(-5);
        var audit = await secured.Server.Services.GetRequiredService<IAuditLog>().GetRecentAsync(1000, default);
        void Has(string action, string target) => Assert.Contains(audit, e => e.Action == action && e.Target == target && e.Author == "operator"
            && e.RemoteAddress == "127.0.0.1" && e.Time > started);
        Has("task.submit", id);
        Has("task.submit", second);
        Has("task.shutdown", id);
        Has("datasource.shutdownAllTasks", "audited_ds");
        Has("datasource.cleanPendingSegments", "audited_ds");
        Has("sql.submit", JsonNode.Parse(sqlBody)!["taskId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Passwords_NeverAppearInClear_InTheStore_TheLogs_OrAnyResponse()
    {
        const string stored = "stored-user-Pa55-3b7c";
        var admin = secured.Admin;
        await admin.PostAsync("/druid-ext/basic-security/authentication/db/basic/users/dave",
            new StringContent($$"""{"password":"{{stored}}","role":"viewer"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.OK, (await secured.As("dave", stored).GetAsync($"{V1}/tasks")).StatusCode);
        await secured.As("dave", "wrong-" + stored).GetAsync($"{V1}/tasks");

        var responses = new StringBuilder();
        foreach (var path in new[] { "/druid-ext/basic-security/authentication/db/basic/users/dave", "/druid-ext/basic-security/authentication/db/basic/users",
                     "/druid-ext/basic-security/authentication/db/basic/users/admin", "/druid-ext/audit?max=1000" })
        {
            responses.Append(await admin.GetStringAsync(path));
        }

        var secrets = new[] { stored, SecuredServer.AdminPassword, SecuredServer.OperatorPassword, SecuredServer.ViewerPassword, SecuredServer.LimitedPassword };
        var database = File.ReadAllBytes(System.IO.Path.Combine(secured.Server.DataDir, "metadata.db"))
            .Concat(File.Exists(System.IO.Path.Combine(secured.Server.DataDir, "metadata.db-wal")) ? File.ReadAllBytes(System.IO.Path.Combine(secured.Server.DataDir, "metadata.db-wal")) : []);
        var databaseText = Encoding.UTF8.GetString(database.ToArray());
        Assert.Contains("dave", databaseText);
        Assert.Contains("pbkdf2-sha256$", databaseText);
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, responses.ToString());
            Assert.DoesNotContain(secret, databaseText);
            Assert.DoesNotContain(secured.Server.Logs.Lines, line => line.Contains(secret));
        }
    }

    [Fact]
    public async Task LoginForm_IsRateLimitedPerAddress_With429AndAClearMessage()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = secured.Server.BaseAddress };
        HttpResponseMessage? last = null;
        for (var i = 0; i <= SecuredServer.LoginAttemptsPerMinute; i++)
        {
            last = await LoginForm.PostAsync(client, "admin", "guess" + i);
            if (i < SecuredServer.LoginAttemptsPerMinute)
            {
                Assert.NotEqual(HttpStatusCode.TooManyRequests, last.StatusCode);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.Contains("Too many sign-in attempts", await last.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Pages_RedirectToLogin_AndTheLoginPageIsOpen()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = secured.Server.BaseAddress };
        using var tasks = await client.GetAsync("/tasks?status=FAILED");
        Assert.Equal(HttpStatusCode.Redirect, tasks.StatusCode);
        Assert.Equal("/login?ReturnUrl=%2Ftasks%3Fstatus%3DFAILED", tasks.Headers.Location!.PathAndQuery);

        using var login = await client.GetAsync("/login");
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        var html = await login.Content.ReadAsStringAsync();
        Assert.Contains("__RequestVerificationToken", html);
        Assert.Contains("Sign in to Overlord", html);
    }

    [Theory]
    [InlineData("/tasks", "/tasks")]
    [InlineData("//evil.example/x", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData("https://evil.example/", "/")]
    [InlineData(null, "/")]
    public void ReturnUrl_IsOnlyEverALocalPath(string? given, string expected) =>
        Assert.Equal(expected, LoginEndpoints.LocalUrl(given));

    private static Task<HttpResponseMessage> SubmitAs(HttpClient client, string dataSource) =>
        client.PostAsync($"{V1}/task", new StringContent($$"""{"type":"noop","dataSource":"{{dataSource}}","runTime":600000}""", Encoding.UTF8, "application/json"));
}
