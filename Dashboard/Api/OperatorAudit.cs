using Dashboard.Core.Storage;

namespace Dashboard.Api;

/// <summary>Records a write made through the API: who (the signed-in user, or anonymous), from where, what.</summary>
public sealed class OperatorAudit(IAuditLog log, TimeProvider time)
{
    public Task RecordAsync(HttpContext context, string action, string target, string? detail, CancellationToken cancellationToken)
    {
        var author = context.User.Identity?.IsAuthenticated == true ? context.User.Identity.Name ?? "unknown" : "anonymous";
        var entry = new AuditEntry(0, time.GetUtcNow(), author, context.Connection.RemoteIpAddress?.ToString(), action, target, detail);
        return log.AppendAsync(entry, cancellationToken);
    }
}
