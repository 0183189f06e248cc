using System.Net;
using Dashboard.Core.Security;
using Dashboard.Core.Storage;
using Dashboard.Security;

namespace Dashboard.Api;

/// <summary>
/// Records a write made through the API or the dashboard, and every failed sign-in: who (the signed-in user, or
/// anonymous), from where, what. The detail (a SQL statement, a spec excerpt) has its secrets masked before it is cut to
/// <see cref="MaxDetailLength"/> characters.
/// </summary>
public sealed class OperatorAudit(IAuditLog log, TimeProvider time)
{
    public const int MaxDetailLength = 500;

    public Task RecordAsync(HttpContext context, string action, string target, string? detail, CancellationToken cancellationToken) =>
        RecordAsync(DruidClaims.IdentityOf(context.User) ?? UserDirectory.AnonymousName, context.Connection.RemoteIpAddress, action, target, detail, cancellationToken);

    public Task RecordAsync(string author, IPAddress? remoteAddress, string action, string target, string? detail, CancellationToken cancellationToken) =>
        RecordAsync(author, remoteAddress?.ToString(), action, target, detail, cancellationToken);

    public Task RecordAsync(string author, string? remoteAddress, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        if (detail is not null)
        {
            detail = SecretMasker.MaskText(detail);
            detail = detail.Length > MaxDetailLength ? detail[..MaxDetailLength] + "..." : detail;
        }

        var entry = new AuditEntry(0, time.GetUtcNow(), author, remoteAddress, action, target, detail);
        return log.AppendAsync(entry, cancellationToken);
    }
}
