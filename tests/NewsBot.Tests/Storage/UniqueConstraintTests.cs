using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>Every dedup rule is a UNIQUE key of the engine: the same assertions on SQLite and on PostgreSQL.</summary>
public sealed class UniqueConstraintTests(PostgresServer server) : IDisposable
{
    private readonly TempFolder _folder = new();
    private IHost _host = null!;

    private T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    private async Task StartAsync(string engine)
    {
        _host = TestHosts.Build(_folder, await StorageEngines.SettingsAsync(engine, server));
        await Get<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
    }

    public void Dispose()
    {
        _host?.Dispose();
        _folder.Dispose();
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task AddSource_SameUrlTwice_KeepsOne(string engine)
    {
        await StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var (first, created) = await Get<ISourceStore>().AddAsync("https://example.org/feed", "A", FullTextMode.Auto, false, SourceKind.Feed, ct);
        var (second, createdAgain) = await Get<ISourceStore>().AddAsync("https://example.org/feed", "A", FullTextMode.Auto, false, SourceKind.Feed, ct);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(first.Id, second.Id);
        Assert.Single(await Get<ISourceStore>().ListAsync(ct));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Ingest_SameItemTwice_StoresOneArticleAndOneDelivery(string engine)
    {
        await StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var (source, _) = await Get<ISourceStore>().AddAsync("https://example.org/feed", "A", FullTextMode.Never, false, SourceKind.Feed, ct);
        var channel = await Get<IChannelStore>().GetOrAddAsync(Platform.Console, "c1", null, null, null, ct);
        await Get<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.Source, SourceId = source.Id }, ct);

        var first = await IngestAsync(source, "guid:1", "url:example.org/a", "A story");
        var second = await IngestAsync(source, "guid:1", "url:example.org/a", "A story");

        Assert.Single(first.Stored);
        Assert.Empty(second.Stored);
        Assert.Equal(1, first.DeliveriesPlanned);
        Assert.Equal(0, second.DeliveriesPlanned);
        Assert.Single(await Get<IDeliveryStore>().ListForChannelAsync(channel.Id, ct));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task FindExisting_AnyKeyMatches_IsTheSameArticle(string engine)
    {
        await StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var (source, _) = await Get<ISourceStore>().AddAsync("https://example.org/feed", "A", FullTextMode.Never, false, SourceKind.Feed, ct);
        var stored = await IngestAsync(source, "guid:old", "url:example.org/a", "A story");

        // The GUID changed but the link did not: still the same article.
        var found = await Get<IArticleStore>().FindExistingAsync(source.Id, [["guid:new", "url:example.org/a"], ["guid:other", "url:example.org/b"]], ct);

        Assert.Equal([stored.Stored[0].Id, null], found);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Ingest_SameStoryFromTwoSources_OneDeliveryPerChannel(string engine)
    {
        await StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var (a, _) = await Get<ISourceStore>().AddAsync("https://a.example/feed", "A", FullTextMode.Never, false, SourceKind.Feed, ct);
        var (b, _) = await Get<ISourceStore>().AddAsync("https://b.example/feed", "B", FullTextMode.Never, false, SourceKind.Feed, ct);
        var channel = await Get<IChannelStore>().GetOrAddAsync(Platform.Console, "c1", null, null, null, ct);
        await Get<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.All }, ct);

        var first = await IngestAsync(a, "guid:a1", "url:a.example/x", "Dam bursts upstream");
        var second = await IngestAsync(b, "guid:b1", "url:b.example/y", "Upstream dam has burst", sameStoryAs: first.Stored[0].StoryId);

        Assert.Equal(1, first.DeliveriesPlanned);
        Assert.Equal(0, second.DeliveriesPlanned);
        var peers = await Get<IArticleStore>().StoryPeersAsync(first.Stored[0], ct);
        Assert.Equal("B", Assert.Single(peers).Title);
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task UpsertSubscription_SameTargetTwice_KeepsOneAndUpdatesFilters(string engine)
    {
        await StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var channel = await Get<IChannelStore>().GetOrAddAsync(Platform.Telegram, "-100", null, null, null, ct);
        var (_, created) = await Get<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.Topic, TopicKey = "ai" }, ct);
        var (updated, createdAgain) = await Get<ISubscriptionStore>().UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.Topic, TopicKey = "ai", Include = ["openai"] }, ct);

        Assert.True(created);
        Assert.False(createdAgain);
        Assert.Equal(["openai"], updated.Include);
        Assert.Single(await Get<ISubscriptionStore>().ListForChannelAsync(channel.Id, ct));
    }

    [Theory]
    [MemberData(nameof(StorageEngines.All), MemberType = typeof(StorageEngines))]
    public async Task Ingest_SourcesSharingTopicsAtOnce_AllStored(string engine)
    {
        await StartAsync(engine);
        var ct = TestContext.Current.CancellationToken;
        var topicNames = Enumerable.Range(0, 12).Select(i => $"Topic {i}").ToArray();
        var sources = new List<Source>();
        for (var i = 0; i < 8; i++)
        {
            sources.Add((await Get<ISourceStore>().AddAsync($"https://example.org/feed{i}", $"S{i}", FullTextMode.Never, false, SourceKind.Feed, ct)).Source);
        }

        // Each source names the shared topics in its own order, article after article: the shape that makes two
        // ingest transactions wait on each other's topic rows if topics are written inside them.
        var batches = sources.Select((source, s) => new IngestBatch(source, Enumerable.Range(0, 10).Select(n =>
        {
            var order = (s % 2 == 0 ? topicNames : topicNames.Reverse()).Skip(n % 3).ToArray();
            var key = $"guid:{s}-{n}";
            var draft = new ArticleDraft
            {
                Source = source,
                DedupKey = key,
                Title = $"Story {s}-{n}",
                Url = $"https://example.org/{s}/{n}",
                FirstSeenAt = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000 + n),
            };
            draft.Topics.AddRange(order.Select(name => new TopicTag(name, TopicOrigin.Category)));
            return (draft, (IReadOnlyList<string>)[key]);
        }).ToList(), [])).ToList();

        var results = await Task.WhenAll(batches.Select(batch => Task.Run(() => Get<IArticleStore>().IngestAsync(batch, Get<IDeliveryPlanner>(), ct), ct)));

        Assert.All(results, result => Assert.Equal(10, result.Stored.Count));
        Assert.Equal(80, await Get<IArticleStore>().CountAsync(ct));
    }

    private Task<IngestResult> IngestAsync(Source source, string guidKey, string urlKey, string title, long? sameStoryAs = null)
    {
        var draft = new ArticleDraft
        {
            Source = source,
            DedupKey = guidKey,
            Title = title,
            Url = "https://" + urlKey["url:".Length..],
            FirstSeenAt = DateTimeOffset.FromUnixTimeSeconds(1_790_000_000),
            SameStoryAs = sameStoryAs,
        };
        return Get<IArticleStore>().IngestAsync(new IngestBatch(source, [(draft, [guidKey, urlKey])], []), Get<IDeliveryPlanner>(), TestContext.Current.CancellationToken);
    }
}
