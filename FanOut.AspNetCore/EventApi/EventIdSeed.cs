using System.Buffers.Binary;
using System.Globalization;

namespace FanOut.AspNetCore.EventApi;

/// <summary>
/// The <c>x-inngest-event-id-seed</c> header that Inngest's clients send with every request, and send again unchanged
/// when they retry it: <c>&lt;milliseconds&gt;,&lt;base64 of 10 random bytes&gt;</c>. From it and an event's index in the
/// batch FanOut derives a ULID — the seed's time, the seed's entropy advanced by the index — used as the event's
/// deduplication key when the sender gave none, so a retried request starts no run twice.
/// </summary>
internal readonly struct EventIdSeed
{
    public const string HeaderName = "x-inngest-event-id-seed";

    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const long MaxUlidMillis = (1L << 48) - 1;

    private readonly long millis;
    private readonly ulong entropyHigh; // the first 2 bytes of the entropy
    private readonly ulong entropyLow;  // the last 8 bytes

    private EventIdSeed(long millis, ulong entropyHigh, ulong entropyLow)
    {
        this.millis = millis;
        this.entropyHigh = entropyHigh;
        this.entropyLow = entropyLow;
    }

    /// <summary>Parses the header's value, or says what is wrong with it.</summary>
    public static bool TryParse(string value, out EventIdSeed seed, out string? error)
    {
        seed = default;
        int comma = value.IndexOf(',', StringComparison.Ordinal);
        if (comma < 0)
        {
            error = "it must be '<milliseconds>,<base64 of 10 bytes>'; there is no comma";
            return false;
        }
        if (!long.TryParse(value.AsSpan(0, comma), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) || ms > MaxUlidMillis)
        {
            error = $"'{value[..comma]}' before the comma is not a time in milliseconds since the Unix epoch";
            return false;
        }
        Span<byte> entropy = stackalloc byte[12];
        if (!Convert.TryFromBase64String(value[(comma + 1)..], entropy, out int written) || written != 10)
        {
            error = "what follows the comma must be 10 bytes in base64 (16 characters)";
            return false;
        }
        seed = new EventIdSeed(ms, BinaryPrimitives.ReadUInt16BigEndian(entropy), BinaryPrimitives.ReadUInt64BigEndian(entropy[2..]));
        error = null;
        return true;
    }

    /// <summary>The ULID of the event at <paramref name="index"/> of the request: 26 Crockford base32 characters.</summary>
    public string IdFor(int index)
    {
        // 80 bits of entropy plus the index, wrapping around within 80 bits.
        ulong low = unchecked(entropyLow + (ulong)index);
        ulong high = (entropyHigh + (low < entropyLow ? 1UL : 0UL)) & 0xFFFF;
        // 128 bits: 48 of time, 16 + 64 of entropy; written as 26 characters of 5 bits (the first holds 3 bits).
        UInt128 value = ((UInt128)(ulong)millis << 80) | ((UInt128)high << 64) | low;
        return string.Create(26, value, static (chars, v) =>
        {
            for (int i = 25; i >= 0; i--)
            {
                chars[i] = Crockford[(int)(v & 31)];
                v >>= 5;
            }
        });
    }
}
