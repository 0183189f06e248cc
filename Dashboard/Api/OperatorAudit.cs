using Dashboard.Core.Security;
using Dashboard.Core.Storage;

namespace Dashboard.Api;

/// <summary>
/// Records a write made through the API: who (the signed-in user, or anonymous), from where, what. The detail (a SQL
/// statement, a spec excerpt) has its secrets masked before it is cut to <see cref="MaxDetailLength"/> characters.
/// </summary>
public sealed class OperatorAudit(IAuditLog log, TimeProvider time)
{
    public const int MaxDetailLength = 500;

    public Task RecordAsync(HttpContext context, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        if (detail is not null)
        {
            detail = SecretMasker.MaskText(detail);
            detail = detail.Length > MaxDetailLength ? detail[..MaxDetailLength] + "..." : detail;
        }

        var author = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "unknown" : "anonymous";
        var entry = new AuditEntry(0, time.GetUtcNow(), author, context.Connection.RemoteIpAddress?.ToString(), action, target, detail);
        return log.AppendAsync(entry, cancellationToken);
    }
}
