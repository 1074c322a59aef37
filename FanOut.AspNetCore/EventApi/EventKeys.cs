using System.Security.Cryptography;
using System.Text;

namespace FanOut.AspNetCore.EventApi;

/// <summary>Checks an event key against the configured ones in constant time.</summary>
internal static class EventKeys
{
    /// <summary>
    /// True when <paramref name="candidate"/> is one of <paramref name="configured"/>. Both sides are hashed (SHA-256)
    /// before <see cref="CryptographicOperations.FixedTimeEquals"/>, so neither the content nor the length of a
    /// configured key shows in the time the comparison takes; every configured key is compared, match or not.
    /// </summary>
    public static bool IsAccepted(string candidate, IList<string> configured)
    {
        Span<byte> candidateHash = stackalloc byte[SHA256.HashSizeInBytes];
        Span<byte> keyHash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(candidate), candidateHash);
        bool accepted = false;
        for (int i = 0; i < configured.Count; i++)
        {
            var key = configured[i];
            if (string.IsNullOrEmpty(key))
            {
                continue;
            }
            SHA256.HashData(Encoding.UTF8.GetBytes(key), keyHash);
            accepted |= CryptographicOperations.FixedTimeEquals(candidateHash, keyHash);
        }
        return accepted;
    }
}
