using System.Net.Http.Headers;
using System.Text;
using Dashboard.Tests.Support;

namespace Dashboard.Tests.Security;

/// <summary>
/// A server with users from configuration: an admin, an operator, a viewer, and an operator limited to the data sources
/// matching <c>wiki.*</c>. Passwords are given in clear, as environment variables carry them.
/// </summary>
public sealed class SecuredServer : IAsyncLifetime
{
    public const string AdminPassword = "admin-Pa55-7d1e";
    public const string OperatorPassword = "operator-Pa55-42c9";
    public const string ViewerPassword = "viewer-Pa55-a0b3";
    public const string LimitedPassword = "limited-Pa55-5e8f";
    public const int LoginAttemptsPerMinute = 5;

    private readonly TempDataDir _dir = new();

    public ServerFixture Server { get; private set; } = null!;

    public static IReadOnlyDictionary<string, string?> Settings { get; } = new Dictionary<string, string?>
    {
        ["Security:Users:0:Name"] = "admin",
        ["Security:Users:0:Password"] = AdminPassword,
        ["Security:Users:0:Role"] = "Admin",
        ["Security:Users:1:Name"] = "operator",
        ["Security:Users:1:Password"] = OperatorPassword,
        ["Security:Users:1:Role"] = "Operator",
        ["Security:Users:2:Name"] = "viewer",
        ["Security:Users:2:Password"] = ViewerPassword,
        ["Security:Users:2:Role"] = "viewer",
        ["Security:Users:3:Name"] = "limited",
        ["Security:Users:3:Password"] = LimitedPassword,
        ["Security:Users:3:Role"] = "Operator",
        ["Security:Users:3:Permissions:0:DataSource"] = "wiki.*",
        ["Security:Users:3:Permissions:0:Actions:0"] = "WRITE",
        ["Security:LoginAttemptsPerMinute"] = LoginAttemptsPerMinute.ToString(),
    };

    public Task InitializeAsync()
    {
        Server = new ServerFixture(_dir.Path, settings: Settings);
        return Task.CompletedTask;
    }

    public HttpClient Anonymous => Server.Client;

    /// <summary>A client that sends these Basic credentials with every request.</summary>
    public HttpClient As(string user, string password)
    {
        var client = new HttpClient { BaseAddress = Server.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return client;
    }

    public HttpClient Admin => As("admin", AdminPassword);

    public HttpClient Operator => As("operator", OperatorPassword);

    public HttpClient Viewer => As("viewer", ViewerPassword);

    public HttpClient Limited => As("limited", LimitedPassword);

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _dir.Dispose();
    }
}
