using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Dashboard.Core.Security;

/// <summary>
/// AES-GCM with a key made at start and held in memory only: what it protects cannot be read after the process ends.
/// For hosts without data-protection keys (Core-only tests); the dashboard replaces it with its persistent key ring.
/// </summary>
public sealed class EphemeralSecretProtector : ISecretProtector, IDisposable
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly AesGcm _aes = new(RandomNumberGenerator.GetBytes(32), TagSize);

    public string Protect(string secret)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var sealedBytes = new byte[NonceSize + TagSize + plain.Length];
        var nonce = sealedBytes.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, plain, sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize));
        return Base64Url.EncodeToString(sealedBytes);
    }

    public string Unprotect(string token)
    {
        byte[] sealedBytes;
        try
        {
            sealedBytes = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException ex)
        {
            throw new CryptographicException("The protected secret is not URL-safe base64.", ex);
        }

        if (sealedBytes.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("The protected secret is too short.");
        }

        var plain = new byte[sealedBytes.Length - NonceSize - TagSize];
        _aes.Decrypt(sealedBytes.AsSpan(0, NonceSize), sealedBytes.AsSpan(NonceSize + TagSize), sealedBytes.AsSpan(NonceSize, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }

    public void Dispose() => _aes.Dispose();
}
