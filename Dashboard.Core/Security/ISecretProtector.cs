namespace Dashboard.Core.Security;

/// <summary>
/// Encrypts a secret before it is written to the metadata store and decrypts it for the task that needs it. The dashboard
/// implements it with ASP.NET Core data protection (keys in the data folder's <c>keys/</c>); a Core-only host gets
/// <see cref="EphemeralSecretProtector"/>.
/// </summary>
public interface ISecretProtector
{
    /// <summary>An opaque token of URL-safe base64 characters (<c>A-Z a-z 0-9 - _</c>) that only this key ring can read.</summary>
    string Protect(string secret);

    /// <summary>The secret behind a token of <see cref="Protect"/>; throws a CryptographicException when the keys cannot read it.</summary>
    string Unprotect(string token);
}
