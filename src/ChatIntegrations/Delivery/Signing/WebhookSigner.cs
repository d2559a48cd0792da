using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatIntegrations.Delivery.Signing;

/// <summary>The Standard Webhooks headers of one attempt (DLV-7, DLV-41).</summary>
/// <param name="Id">The <c>webhook-id</c>: the delivery id, stable across attempts.</param>
/// <param name="Timestamp">The <c>webhook-timestamp</c>: Unix seconds of this attempt.</param>
/// <param name="Signature">The <c>webhook-signature</c>, or <see langword="null"/> when no secret is configured.</param>
internal readonly record struct WebhookHeaders(string Id, string Timestamp, string? Signature)
{
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";
}

/// <summary>Signs attempt bodies the Standard Webhooks way (DLV-40..DLV-43).</summary>
internal static class WebhookSigner
{
    /// <summary>Builds the headers of one attempt made at <paramref name="now"/>.</summary>
    /// <param name="deliveryId">The delivery id (DLV-7).</param>
    /// <param name="now">The attempt time; a new attempt gets a new timestamp and so a new signature (DLV-42).</param>
    /// <param name="body">The body bytes exactly as sent.</param>
    /// <param name="secrets">The integration's secrets, oldest first, as stored (at most two).</param>
    /// <exception cref="ArgumentException">A secret is not a valid <c>whsec_</c> secret (validated on save).</exception>
    public static WebhookHeaders CreateHeaders(string deliveryId, DateTimeOffset now, ReadOnlySpan<byte> body, IReadOnlyList<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(deliveryId);
        ArgumentNullException.ThrowIfNull(secrets);
        var timestamp = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return new WebhookHeaders(deliveryId, timestamp, secrets.Count == 0 ? null : Sign(deliveryId, timestamp, body, secrets));
    }

    /// <summary>The <c>webhook-signature</c> value: one <c>v1,</c> signature per secret, newest first, separated by one
    /// space (DLV-41).</summary>
    /// <exception cref="ArgumentException">A secret is not a valid <c>whsec_</c> secret.</exception>
    public static string Sign(string id, string timestamp, ReadOnlySpan<byte> body, IReadOnlyList<string> secretsOldestFirst)
    {
        var builder = new StringBuilder();
        for (var i = secretsOldestFirst.Count - 1; i >= 0; i--)
        {
            if (!SigningSecrets.TryGetKey(secretsOldestFirst[i], out var key)) throw new ArgumentException("A signing secret is not a valid whsec_ secret.", nameof(secretsOldestFirst));
            if (builder.Length > 0) builder.Append(' ');
            builder.Append(ComputeSignature(key, id, timestamp, body));
            CryptographicOperations.ZeroMemory(key);
        }

        return builder.ToString();
    }

    /// <summary><c>v1,</c> + base64(HMAC-SHA256(key, <c>{id}.{timestamp}.{body}</c>)) (DLV-41).</summary>
    public static string ComputeSignature(ReadOnlySpan<byte> key, string id, string timestamp, ReadOnlySpan<byte> body)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        ComputeMac(key, id, timestamp, body, mac);
        return "v1," + Convert.ToBase64String(mac);
    }

    internal static void ComputeMac(ReadOnlySpan<byte> key, string id, string timestamp, ReadOnlySpan<byte> body, Span<byte> destination)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        Span<byte> dot = [(byte)'.'];
        hmac.AppendData(Encoding.UTF8.GetBytes(id));
        hmac.AppendData(dot);
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp));
        hmac.AppendData(dot);
        hmac.AppendData(body);
        hmac.GetHashAndReset(destination);
    }
}
