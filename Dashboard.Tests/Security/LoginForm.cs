using System.Text.RegularExpressions;

namespace Dashboard.Tests.Security;

/// <summary>Posts the login form as a browser does: reads /login for its antiforgery token (and cookie), then posts it.</summary>
public static partial class LoginForm
{
    /// <summary><paramref name="client"/> must keep cookies (the default handler does) and should not follow redirects.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string username, string password)
    {
        var html = await client.GetStringAsync("/login");
        var token = Token().Match(html) is { Success: true } match
            ? System.Net.WebUtility.HtmlDecode(match.Groups["value"].Value)
            : throw new InvalidOperationException("The login page has no antiforgery token.");
        return await client.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username,
            ["password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"(?<value>[^\"]+)\"")]
    private static partial Regex Token();
}
