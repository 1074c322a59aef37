using System.Security.Cryptography;

namespace FanOut.Ids;

/// <summary>
/// Makes ULIDs (26 characters, Crockford base32): 48 bits of milliseconds then 80 random bits, so ids sort by time.
/// Within one millisecond the random part is incremented, so ids made by one process are strictly increasing.
/// </summary>
internal sealed class Ulid
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private readonly Lock gate = new();
    private long lastMs = -1;
    private UInt128 lastRandom;

    /// <summary>The process's generator: one sequence, so ids made anywhere in the process increase.</summary>
    public static Ulid Shared { get; } = new();

    public string New(long unixMs)
    {
        UInt128 random;
        long ms;
        lock (gate)
        {
            // A clock that steps back must not make ids go back: keep the last millisecond and count on.
            ms = Math.Max(unixMs, lastMs);
            if (ms == lastMs)
            {
                random = (lastRandom + 1) & Mask80;
            }
            else
            {
                Span<byte> bytes = stackalloc byte[16];
                RandomNumberGenerator.Fill(bytes);
                random = new UInt128(BitConverter.ToUInt64(bytes[8..]), BitConverter.ToUInt64(bytes)) & Mask80;
                lastMs = ms;
            }
            lastRandom = random;
        }
        return string.Create(26, (ms, random), static (span, state) =>
        {
            var (msPart, randomPart) = state;
            for (int i = 9; i >= 0; i--)
            {
                span[i] = Alphabet[(int)(msPart & 31)];
                msPart >>= 5;
            }
            for (int i = 25; i >= 10; i--)
            {
                span[i] = Alphabet[(int)(randomPart & 31)];
                randomPart >>= 5;
            }
        });
    }

    /// <summary>The milliseconds since the Unix epoch in a ULID's first 10 characters, or false when it is not a ULID.</summary>
    public static bool TryGetTime(string id, out long unixMs)
    {
        unixMs = 0;
        if (id.Length != 26)
        {
            return false;
        }
        for (int i = 0; i < 10; i++)
        {
            int digit = Alphabet.IndexOf(id[i], StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }
            unixMs = (unixMs << 5) | (long)digit;
        }
        return true;
    }

    private static UInt128 Mask80 => (UInt128.One << 80) - 1;
}
