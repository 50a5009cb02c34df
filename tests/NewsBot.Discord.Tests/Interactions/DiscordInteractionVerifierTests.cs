using System.Globalization;
using System.Text;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Discord.Interactions;
using NSec.Cryptography;

namespace NewsBot.Discord.Tests.Interactions;

public sealed class DiscordInteractionVerifierTests : IDisposable
{
    private const string Body = """{"type":2,"id":"1","application_id":"2","token":"t","version":1,"data":{"id":"3","name":"latest","type":1}}""";
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519);
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Verify_CorrectSignature_Accepted()
    {
        var verifier = Verifier();
        var (signature, timestamp) = Sign(Body, _time.GetUtcNow());

        Assert.True(verifier.Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body)).IsValid);
    }

    [Fact]
    public void Verify_TamperedBody_Rejected()
    {
        var (signature, timestamp) = Sign(Body, _time.GetUtcNow());

        var result = Verifier().Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body.Replace("latest", "admin", StringComparison.Ordinal)));

        Assert.StartsWith("interaction.bad_signature", result.Reason);
    }

    [Fact]
    public void Verify_OtherKeysSignature_Rejected()
    {
        using var other = Key.Create(SignatureAlgorithm.Ed25519);
        var timestamp = _time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(other, Encoding.UTF8.GetBytes(timestamp + Body)));

        Assert.False(Verifier().Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body)).IsValid);
    }

    [Fact]
    public void Verify_StaleTimestamp_Rejected()
    {
        var (signature, timestamp) = Sign(Body, _time.GetUtcNow() - TimeSpan.FromMinutes(6));

        var result = Verifier().Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body));

        Assert.StartsWith("interaction.stale_timestamp", result.Reason);
    }

    [Fact]
    public void Verify_ReplayedRequest_Rejected()
    {
        var verifier = Verifier();
        var (signature, timestamp) = Sign(Body, _time.GetUtcNow());
        verifier.Verify(signature, timestamp, Encoding.UTF8.GetBytes(Body));

        var replay = verifier.Verify(signature.ToUpperInvariant(), timestamp, Encoding.UTF8.GetBytes(Body));

        Assert.StartsWith("interaction.replayed", replay.Reason);
    }

    [Fact]
    public void Verify_MissingHeaders_Rejected()
    {
        Assert.False(Verifier().Verify(null, null, Encoding.UTF8.GetBytes(Body)).IsValid);
        Assert.False(Verifier().Verify("zz", "1", Encoding.UTF8.GetBytes(Body)).IsValid);
    }

    public void Dispose() => _key.Dispose();

    internal static (string Signature, string Timestamp) Sign(Key key, string body, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = SignatureAlgorithm.Ed25519.Sign(key, Encoding.UTF8.GetBytes(timestamp + body));
        return (Convert.ToHexStringLower(signature), timestamp);
    }

    internal static string PublicKeyHex(Key key) => Convert.ToHexStringLower(key.PublicKey.Export(KeyBlobFormat.RawPublicKey));

    private (string Signature, string Timestamp) Sign(string body, DateTimeOffset at) => Sign(_key, body, at);

    private DiscordInteractionVerifier Verifier() =>
        new(Options.Create(new DiscordClientOptions { PublicKey = PublicKeyHex(_key) }), _time);
}
