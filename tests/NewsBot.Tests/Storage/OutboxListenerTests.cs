using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>
/// Cluster mode's cross-process wake-up on PostgreSQL: deliveries one process stores wake another process's dispatcher
/// (LISTEN/NOTIFY), also after the server restarted under the listening connection.
/// </summary>
public sealed class OutboxListenerTests(PostgresServer server)
{
    /// <summary>Far longer than a notification takes; reached only when none came (the dispatcher's own round is 30 s).</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Ingest_DeliveriesStoredByOneProcess_WakeAnotherProcessesDispatcher()
    {
        await using var cluster = await ClusterProcesses.CreateAsync(server);
        var writer = await cluster.JoinAsync();
        var reader = await cluster.JoinAsync();
        var wakeUps = reader.Get<DeliverySignal>().Listen();
        var listener = ListenerOf(reader);
        await listener.StartAsync(Ct);
        try
        {
            var listening = await wakeUps.WaitAsync(Patience, TimeProvider.System, Ct);

            await StoreDeliveryAsync(writer, "one");
            var woken = await wakeUps.WaitAsync(Patience, TimeProvider.System, Ct);

            Assert.True(listening, "the listener did not wake the dispatcher once connected");
            Assert.True(woken, "a delivery stored by another process did not wake this one's dispatcher");
        }
        finally
        {
            await listener.StopAsync(Ct);
        }
    }

    [Fact]
    public async Task ServerRestart_UnderTheListeningConnection_ListenerReconnectsAndStillWakes()
    {
        Assert.SkipUnless(PostgresServer.CanRestart, $"{PostgresServer.ConnectionVariable} names a server this test may not restart");
        // A server of its own: restarting the shared one would break the other tests' connections.
        await using var ownServer = new PostgresServer();
        await using var cluster = await ClusterProcesses.CreateAsync(ownServer);
        var reader = await cluster.JoinAsync();
        var wakeUps = reader.Get<DeliverySignal>().Listen();
        var listener = ListenerOf(reader);
        await listener.StartAsync(Ct);
        try
        {
            var listening = await wakeUps.WaitAsync(Patience, TimeProvider.System, Ct);

            await ownServer.RestartAsync(TimeSpan.FromSeconds(1), Ct);
            var listeningAgain = await wakeUps.WaitAsync(Patience * 2, TimeProvider.System, Ct);
            // A process that starts after the restart: its pool never saw the old server.
            await StoreDeliveryAsync(await cluster.JoinAsync(), "after the restart");
            var woken = await wakeUps.WaitAsync(Patience, TimeProvider.System, Ct);

            Assert.True(listening, "the listener did not wake the dispatcher once connected");
            Assert.True(listeningAgain, "the listener did not connect again after the server restarted");
            Assert.True(woken, "after the restart, a delivery stored by another process did not wake this one's dispatcher");
        }
        finally
        {
            await listener.StopAsync(Ct);
        }
    }

    private static PostgresOutboxListener ListenerOf(ClusterProcesses.Process process) =>
        process.Host.Services.GetServices<IHostedService>().OfType<PostgresOutboxListener>().Single();

    /// <summary>A source, a channel subscribed to it, and one new article of it stored as a poll stores it: one delivery planned.</summary>
    private static async Task StoreDeliveryAsync(ClusterProcesses.Process process, string name)
    {
        var (source, _) = await process.Get<ISourceStore>().AddAsync($"https://{Guid.NewGuid():N}.example/feed", name, FullTextMode.Never, fromConfig: false, SourceKind.Feed, Ct);
        var channel = await process.Get<IChannelStore>().GetOrAddAsync(Platform.Discord, Guid.NewGuid().ToString("N"), null, name, null, Ct);
        await process.Get<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.Source, SourceId = source.Id }, Ct);
        var draft = new ArticleDraft
        {
            Source = source,
            DedupKey = "item-1",
            Title = $"News of {name}",
            Url = $"{source.Url}/articles/1",
            FirstSeenAt = TimeProvider.System.GetUtcNow(),
        };
        var result = await process.Get<IArticleStore>().IngestAsync(new IngestBatch(source, [(draft, [draft.DedupKey])], []), process.Get<IDeliveryPlanner>(), Ct);
        Assert.Equal(1, result.DeliveriesPlanned);
    }
}
