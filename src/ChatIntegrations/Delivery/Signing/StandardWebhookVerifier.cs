using System.Globalization;
using System.Security.Cryptography;
using ChatIntegrations.Delivery.Signing;

namespace ChatIntegrations;

/// <summary>
/// Verifies Standard Webhooks signatures (<c>webhook-id</c>, <c>webhook-timestamp</c>, <c>webhook-signature</c>), for
/// hosts that receive the webhooks this library sends (DLV-44).
/// </summary>
/// <remarks>
/// Signatures are compared in constant time, and timestamps more than <see cref="Tolerance"/> away from now, in either
/// direction, are rejected. Receivers should also deduplicate on <c>webhook-id</c> (DLV-3). Instances are immutable
/// and safe for concurrent use.
/// </remarks>
public sealed class StandardWebhookVerifier
{
    private readonly byte[] _key;
    private readonly TimeProvider _timeProvider;

    /// <summary>Initializes a new instance of the <see cref="StandardWebhookVerifier"/> class.</summary>
    /// <param name="secret">The integration's signing secret, <c>whsec_</c> + base64 of the key bytes.</param>
    /// <param name="timeProvider">The clock that timestamps are checked against; <see langword="null"/> uses
    /// <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="secret"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="secret"/> is not <c>whsec_</c> followed by base64 of at least
    /// one byte.</exception>
    public StandardWebhookVerifier(string secret, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (!secret.StartsWith(SigningSecrets.Prefix, StringComparison.Ordinal)) throw new ArgumentException("The secret must start with 'whsec_'.", nameof(secret));
        try
        {
            _key = Convert.FromBase64String(secret[SigningSecrets.Prefix.Length..]);
        }
        catch (FormatException e)
        {
            throw new ArgumentException("The secret is not valid base64 after 'whsec_'.", nameof(secret), e);
        }

        if (_key.Length == 0) throw new ArgumentException("The secret has no key bytes.", nameof(secret));
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Gets the largest accepted distance between <c>webhook-timestamp</c> and now.</summary>
    /// <value>Five minutes.</value>
    public static TimeSpan Tolerance { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Verifies one received webhook.</summary>
    /// <param name="webhookId">The <c>webhook-id</c> header.</param>
    /// <param name="webhookTimestamp">The <c>webhook-timestamp</c> header: Unix seconds.</param>
    /// <param name="webhookSignature">The <c>webhook-signature</c> header: one or more space-separated <c>v1,</c>
    /// signatures, any of which may match.</param>
    /// <param name="body">The raw body bytes exactly as received.</param>
    /// <returns><see langword="true"/> when a signature matches and the timestamp is within <see cref="Tolerance"/>;
    /// <see langword="false"/> for missing or malformed headers, stale or future timestamps, and wrong signatures.</returns>
    public bool Verify(string? webhookId, string? webhookTimestamp, string? webhookSignature, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(webhookTimestamp) || string.IsNullOrEmpty(webhookSignature)) return false;
        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        var now = _timeProvider.GetUtcNow().ToUnixTimeSeconds();
        if (Math.Abs((decimal)now - seconds) > (decimal)Tolerance.TotalSeconds) return false;

        Span<byte> expected = stackalloc byte[HMACSHA256.HashSizeInBytes];
        WebhookSigner.ComputeMac(_key, webhookId, webhookTimestamp, body, expected);
        Span<byte> candidate = stackalloc byte[HMACSHA256.HashSizeInBytes + 3];
        var matched = false;
        foreach (var range in webhookSignature.AsSpan().Split(' '))
        {
            var part = webhookSignature.AsSpan(range);
            if (!part.StartsWith("v1,", StringComparison.Ordinal)) continue;
            if (!Convert.TryFromBase64Chars(part[3..], candidate, out var written) || written != HMACSHA256.HashSizeInBytes) continue;

            // Constant time per candidate; keep looking so that the position of a match does not show in the timing.
            matched |= CryptographicOperations.FixedTimeEquals(candidate[..written], expected);
        }

        return matched;
    }
}
