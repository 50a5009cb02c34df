using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using NSec.Cryptography;

namespace NewsBot.Discord.Interactions;

/// <summary>Outcome of checking one interaction request; Reason is null when valid.</summary>
public readonly record struct InteractionVerification(string? Reason)
{
    public bool IsValid => Reason is null;
}

/// <summary>
/// Verifies X-Signature-Ed25519 over UTF-8(timestamp + raw body) with the application public key (interactions
/// overview, "Security and Authorization"). Discord probes with bad signatures and drops the endpoint if one is
/// accepted. The timestamp window and replay check are our own additions (not documented by Discord).
/// </summary>
public sealed class DiscordInteractionVerifier
{
    /// <summary>Bounds the replay memory; entries also expire after twice the timestamp tolerance.</summary>
    private const int MaxRemembered = 10_000;

    private static readonly SignatureAlgorithm Ed25519 = SignatureAlgorithm.Ed25519;

    private readonly PublicKey? _publicKey;
    private readonly TimeSpan _tolerance;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset SeenAt)> _seenOrder = new();

    public DiscordInteractionVerifier(IOptions<DiscordClientOptions> options, TimeProvider time)
    {
        _time = time;
        _tolerance = options.Value.InteractionTimestampTolerance;
        if (options.Value.PublicKey is { Length: 64 } hex)
        {
            try
            {
                _publicKey = PublicKey.Import(Ed25519, Convert.FromHexString(hex), KeyBlobFormat.RawPublicKey);
            }
            catch (FormatException)
            {
                _publicKey = null;
            }
        }
    }

    public InteractionVerification Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (_publicKey is null)
        {
            return new("interaction.no_public_key: set NewsBot:Discord:PublicKey (64 hex characters)");
        }

        if (signatureHex is not { Length: 128 } || string.IsNullOrEmpty(timestamp))
        {
            return new("interaction.bad_signature: missing or malformed signature headers");
        }

        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return new("interaction.bad_signature: signature is not hex");
        }

        var timestampBytes = Encoding.UTF8.GetByteCount(timestamp);
        var data = new byte[timestampBytes + body.Length];
        Encoding.UTF8.GetBytes(timestamp, data);
        body.CopyTo(data.AsSpan(timestampBytes));
        if (!Ed25519.Verify(_publicKey, data, signature))
        {
            return new("interaction.bad_signature: Ed25519 verification failed");
        }

        var now = _time.GetUtcNow();
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).TotalSeconds) > _tolerance.TotalSeconds)
        {
            return new("interaction.stale_timestamp: signed timestamp outside the accepted window");
        }

        return Remember(timestamp + ":" + signatureHex.ToUpperInvariant(), now)
            ? default
            : new("interaction.replayed: this signature was already accepted");
    }

    private bool Remember(string key, DateTimeOffset now)
    {
        lock (_lock)
        {
            var expiry = _tolerance * 2;
            while (_seenOrder.Count > 0 && (now - _seenOrder.Peek().SeenAt > expiry || _seenOrder.Count >= MaxRemembered))
            {
                _seen.Remove(_seenOrder.Dequeue().Key);
            }

            if (!_seen.TryAdd(key, now))
            {
                return false;
            }

            _seenOrder.Enqueue((key, now));
            return true;
        }
    }
}
