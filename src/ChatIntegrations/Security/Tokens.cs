using System.Security.Cryptography;
using System.Text;

namespace ChatIntegrations.Security;

/// <summary>Token and id generation and constant-time comparison (SEC-1, SEC-3, GEN-8).</summary>
internal static class Tokens
{
    // SEC-1: the 55-character unambiguous alphabet.
    internal const string Alphabet = "23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz";
    internal const int TokenLength = 48;
    internal const int IdLength = 17;

    private static readonly byte[] DummyDigest = SHA256.HashData("chat-integrations-dummy-token"u8);

    public static string NewToken() => Random(TokenLength);

    public static string NewId() => Random(IdLength);

    private static string Random(int length) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>SEC-3: compares SHA-256 digests of both strings in constant time.</summary>
    public static bool FixedTimeEquals(string? expected, string supplied)
    {
        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        Digest(supplied, b);
        if (expected is null)
        {
            // Unknown integration: still compare, against a dummy digest, so timing does not tell.
            CryptographicOperations.FixedTimeEquals(DummyDigest, b);
            return false;
        }

        Digest(expected, a);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }

    internal static void Digest(string value, Span<byte> destination)
    {
        var max = Encoding.UTF8.GetMaxByteCount(value.Length);
        byte[]? rented = null;
        Span<byte> buffer = max <= 1024 ? stackalloc byte[max] : (rented = System.Buffers.ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(value, buffer);
        SHA256.HashData(buffer[..n], destination);
        if (rented is not null) System.Buffers.ArrayPool<byte>.Shared.Return(rented, clearArray: true);
    }

    /// <summary>SEC-1: an imported or admin-set incoming token is 16–256 printable ASCII characters.</summary>
    public static bool IsValidIncomingToken(string token) => IsPrintableAscii(token, 16, 256);

    /// <summary>SEC-1: an outgoing token is 1–256 printable ASCII characters.</summary>
    public static bool IsValidOutgoingToken(string token) => IsPrintableAscii(token, 1, 256);

    private static bool IsPrintableAscii(string s, int min, int max)
    {
        if (s.Length < min || s.Length > max) return false;
        foreach (var c in s)
        {
            if (c < 0x21 || c > 0x7e) return false;
        }

        return true;
    }

    /// <summary>GEN-8: 1–64 characters of [A-Za-z0-9_-], not a reserved word.</summary>
    public static bool IsValidId(string id)
    {
        if (id.Length is < 1 or > 64) return false;
        foreach (var c in id)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-')) return false;
        }

        return !IsReservedId(id);
    }

    public static bool IsReservedId(string id) =>
        id is "info" or "sample" or "add" or "remove" or "import" or "validate-script" or "omnichannel"; // "omnichannel": the omnichannel webhook settings (OMNI-1)
}
