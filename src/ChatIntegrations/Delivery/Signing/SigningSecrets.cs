using System.Security.Cryptography;

namespace ChatIntegrations.Delivery.Signing;

/// <summary>Standard Webhooks secrets: <c>whsec_</c> + base64 of the key bytes (DLV-40).</summary>
internal static class SigningSecrets
{
    public const string Prefix = "whsec_";
    public const int GeneratedKeyBytes = 32;
    public const int MinKeyBytes = 24;
    public const int MaxKeyBytes = 64;

    /// <summary>Generates a secret of 32 random bytes, as <c>AddSigningSecret</c> does.</summary>
    public static string Generate()
    {
        Span<byte> key = stackalloc byte[GeneratedKeyBytes];
        RandomNumberGenerator.Fill(key);
        var secret = Prefix + Convert.ToBase64String(key);
        CryptographicOperations.ZeroMemory(key);
        return secret;
    }

    /// <summary>Whether <paramref name="secret"/> is <c>whsec_</c> + base64 of 24–64 bytes (import, DLV-40).</summary>
    public static bool IsValid(string? secret) => TryGetKey(secret, out _);

    /// <summary>Decodes the key bytes of a valid secret.</summary>
    public static bool TryGetKey(string? secret, out byte[] key)
    {
        key = [];
        if (secret is null || !secret.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var encoded = secret.AsSpan(Prefix.Length);
        if (encoded.Length > 4 * ((MaxKeyBytes + 2) / 3)) return false;
        Span<byte> buffer = stackalloc byte[MaxKeyBytes + 3];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written) || written is < MinKeyBytes or > MaxKeyBytes) return false;
        key = buffer[..written].ToArray();
        return true;
    }
}

/// <summary>Delivery ids: <c>dlv_</c> + the 32 lowercase hex digits of a version-7 GUID (DLV-7).</summary>
internal static class DeliveryIds
{
    public const string Prefix = "dlv_";

    /// <summary>Creates a delivery id whose GUID carries the current time, so ids sort by creation.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public static string New(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Prefix + Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
    }

    /// <summary>Whether <paramref name="id"/> has the DLV-7 form.</summary>
    public static bool IsValid(string? id)
    {
        if (id is null || id.Length != Prefix.Length + 32 || !id.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        foreach (var c in id.AsSpan(Prefix.Length))
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c)) return false;
        }

        return true;
    }
}
