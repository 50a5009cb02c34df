using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Discord.Gateway;
using NewsBot.Fakes.Discord;

namespace NewsBot.Discord.Tests.Gateway;

/// <summary>Stored sessions that cannot be resumed, and how an unreachable Gateway is logged, in fake time.</summary>
public sealed class GatewayOutageTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task RestoreSession_ResumeUrlDoesNotAnswer_IdentifiesOnGatewayBotUrlAfterTwoTries(bool acceptsConnections)
    {
        // A resume URL that accepts TCP and never answers the handshake, or one that refuses connections.
        using var dead = new TcpListener(IPAddress.Loopback, 0);
        dead.Start();
        var port = ((IPEndPoint)dead.LocalEndpoint).Port;
        var accepted = new List<Socket>();
        using var stopAccepting = new CancellationTokenSource();
        var accepting = acceptsConnections ? AcceptForeverAsync(dead, accepted, stopAccepting.Token) : Task.CompletedTask;
        if (!acceptsConnections)
        {
            dead.Stop();
        }

        var h = await GatewayHarness.StartAsync(restore: new GatewaySession("gone", $"ws://127.0.0.1:{port}", 41));
        try
        {
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 1, "READY on a new session", step: TimeSpan.FromSeconds(1));

            Assert.Single(h.Gateway.Identifies);
            Assert.Empty(h.Gateway.Resumes);
            Assert.StartsWith("/gateway", Assert.Single(h.Gateway.ConnectionUrls), StringComparison.Ordinal);
            Assert.Contains(h.Logs, r => r.Message.Contains("did not answer 2 times", StringComparison.Ordinal));
            if (acceptsConnections)
            {
                lock (accepted)
                {
                    Assert.Equal(GatewayPolicy.MaxUnansweredResumes, accepted.Count);
                }
            }
        }
        finally
        {
            await stopAccepting.CancelAsync();
            dead.Stop();
            await accepting;
            accepted.ForEach(s => s.Dispose());
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task RestoreSession_OlderThanDiscordKeepsSessions_IdentifiesWithoutTryingToResume()
    {
        var time = new FakeTimeProvider();
        var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMs = 40_000, Time = time }, TestContext.Current.CancellationToken);
        var stale = new GatewaySession("old", fake.ResumeGatewayUrl, 12, time.GetUtcNow() - GatewayPolicy.ResumableFor - TimeSpan.FromMinutes(1));
        var h = await GatewayHarness.StartAsync(restore: stale, sharedFake: fake);
        try
        {
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 1, "READY", step: TimeSpan.FromSeconds(1));

            Assert.Empty(h.Gateway.Resumes);
            Assert.All(h.Gateway.ConnectionUrls, url => Assert.StartsWith("/gateway", url, StringComparison.Ordinal));
            Assert.Single(h.Gateway.Identifies);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Session_AfterActivity_CarriesLastActiveTimeForTheNextProcess()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");

            Assert.Equal(h.Time.GetUtcNow(), h.Client.Session?.LastActiveAt);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    [Fact]
    public async Task Unreachable_ManyFailedAttempts_OneWarningWithNextAttemptThenOneInfoWhenBack()
    {
        var h = await GatewayHarness.StartAsync();
        try
        {
            await h.WaitAsync(() => h.Count<GatewayReady>() == 1, "READY");
            h.Fake.Options.SendHello = false;
            h.Gateway.Drop();
            await h.AdvanceUntilAsync(() => h.Client.Outage is { FailedAttempts: >= 5 }, "five failed attempts", step: TimeSpan.FromSeconds(5), limit: TimeSpan.FromMinutes(10));
            h.Fake.Options.SendHello = true;
            await h.AdvanceUntilAsync(() => h.Count<GatewayReady>() == 2, "READY after the outage", step: TimeSpan.FromSeconds(1));

            var logs = h.Logs.Where(r => r.Category == typeof(DiscordGatewayClient).FullName).ToList();
            var warning = Assert.Single(logs, r => r.Level >= LogLevel.Warning);
            Assert.Contains("unreachable", warning.Message, StringComparison.Ordinal);
            Assert.Contains("next attempt at", warning.Message, StringComparison.Ordinal);
            Assert.Single(logs, r => r.Level == LogLevel.Information && r.Message.Contains("connected again", StringComparison.Ordinal));
            Assert.DoesNotContain(h.Logs, r => r.Level >= LogLevel.Information && r.Exception is not null);
            Assert.Null(h.Client.Outage);
        }
        finally
        {
            await h.DisposeWithServerAsync();
        }
    }

    private static async Task AcceptForeverAsync(TcpListener listener, List<Socket> accepted, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var socket = await listener.AcceptSocketAsync(cancellationToken);
                lock (accepted)
                {
                    accepted.Add(socket);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Test over.
        }
    }
}
