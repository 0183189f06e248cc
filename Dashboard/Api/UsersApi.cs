using System.Text.Json.Nodes;
using Dashboard.Core.Errors;
using Dashboard.Core.Security;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary>
/// User management on Druid's basic-security paths (admins only: CONFIG). Authentication side: list, read, create,
/// delete, set credentials; authorization side: read a user's role, assign one (viewer, operator, admin). Configured
/// users are listed but read-only. Every change is audited; no response carries a password or a hash.
/// </summary>
public static class UsersApi
{
    public const string AuthenticationPath = "/druid-ext/basic-security/authentication/db/{authenticator}/users";
    public const string AuthorizationPath = "/druid-ext/basic-security/authorization/db/{authorizer}/users";

    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder endpoints)
    {
        var authentication = endpoints.MapGroup(AuthenticationPath).AddEndpointFilter<DruidErrorFilter>().WithTags("Users API");
        authentication.MapGet("", (UserDirectory users) => DruidResults.Json(users.Users.Select(u => u.Name)))
            .RequireDruidAccess(DruidAccess.Config(DruidAction.READ));
        authentication.MapGet("/{userName}", (string userName, UserDirectory users) => DruidResults.Json(Describe(Existing(users, userName))))
            .RequireDruidAccess(DruidAccess.Config(DruidAction.READ));
        authentication.MapPost("/{userName}", CreateAsync).RequireDruidAccess(DruidAccess.Config(DruidAction.WRITE));
        authentication.MapDelete("/{userName}", DeleteAsync).RequireDruidAccess(DruidAccess.Config(DruidAction.WRITE));
        authentication.MapPost("/{userName}/credentials", SetCredentialsAsync).RequireDruidAccess(DruidAccess.Config(DruidAction.WRITE));

        var authorization = endpoints.MapGroup(AuthorizationPath).AddEndpointFilter<DruidErrorFilter>().WithTags("Users API");
        authorization.MapGet("/{userName}", (string userName, UserDirectory users) =>
        {
            var user = Existing(users, userName);
            return DruidResults.Json(new JsonObject { ["name"] = user.Name, ["roles"] = new JsonArray(user.Role.ToString().ToLowerInvariant()) });
        }).RequireDruidAccess(DruidAccess.Config(DruidAction.READ));
        authorization.MapPost("/{userName}/roles/{roleName}", AssignRoleAsync).RequireDruidAccess(DruidAccess.Config(DruidAction.WRITE));
        return endpoints;
    }

    private static async Task<IResult> CreateAsync(string userName, HttpRequest request, UserDirectory users, OperatorAudit audit, CancellationToken ct)
    {
        var body = request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0 ? await JsonRequestBody.ReadAsync(request, ct) as JsonObject : null;
        var role = body?["role"] is { } r ? ParseRole(r.ToString()) : DruidRole.Viewer;
        var user = await users.CreateAsync(userName, body?["password"]?.ToString(), role, null, ct);
        await audit.RecordAsync(request.HttpContext, "user.create", user.Name, $"role={user.Role}", ct);
        return DruidResults.Json(Describe(user));
    }

    private static async Task<IResult> DeleteAsync(string userName, HttpContext context, UserDirectory users, OperatorAudit audit, CancellationToken ct)
    {
        await users.DeleteAsync(userName, ct);
        await audit.RecordAsync(context, "user.delete", userName, null, ct);
        return Results.Ok();
    }

    private static async Task<IResult> SetCredentialsAsync(string userName, HttpRequest request, UserDirectory users, OperatorAudit audit, CancellationToken ct)
    {
        var body = await JsonRequestBody.ReadAsync(request, ct) as JsonObject;
        var password = body?["password"]?.ToString() ?? throw DruidException.ErrorMap(400, "Send the new password as {\"password\": \"...\"}.");
        await users.SetPasswordAsync(userName, password, ct);
        await audit.RecordAsync(request.HttpContext, "user.password", userName, null, ct);
        return Results.Ok();
    }

    private static async Task<IResult> AssignRoleAsync(string userName, string roleName, HttpContext context, UserDirectory users, OperatorAudit audit, CancellationToken ct)
    {
        var user = await users.SetRoleAsync(userName, ParseRole(roleName), ct);
        await audit.RecordAsync(context, "user.role", user.Name, $"role={user.Role}", ct);
        return Results.Ok();
    }

    private static DruidUser Existing(UserDirectory users, string name) =>
        users.Find(name) ?? throw DruidException.ErrorMap(400, $"User [{name}] does not exist.");

    private static DruidRole ParseRole(string? text) => DruidRoles.TryParse(text, out var role)
        ? role
        : throw DruidException.ErrorMap(400, $"Role [{text}] does not exist: use viewer, operator or admin.");

    private static JsonObject Describe(DruidUser user) => new()
    {
        ["name"] = user.Name,
        ["role"] = user.Role.ToString().ToLowerInvariant(),
        ["source"] = user.Source == UserSource.Configuration ? "configuration" : "metadataStore",
        ["hasPassword"] = user.PasswordHash.Length > 0,
    };
}
