using Dashboard.Core.Security;
using Microsoft.AspNetCore.DataProtection;

namespace Dashboard.Security;

/// <summary>
/// Task secrets at rest, encrypted with the dashboard's data-protection key ring (the data folder's <c>keys/</c>, the
/// same keys as session cookies): a copy of <c>metadata.db</c> without that folder shows no secret.
/// </summary>
public sealed class DataProtectionSecretProtector(IDataProtectionProvider provider) : ISecretProtector
{
    public const string Purpose = "Overlord.TaskPayloadSecrets.v1";

    private readonly IDataProtector _protector = provider.CreateProtector(Purpose);

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string token) => _protector.Unprotect(token);
}
