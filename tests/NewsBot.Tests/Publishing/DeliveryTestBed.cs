using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Publishing;

/// <summary>
/// The real services over a temp database, not started (no background loops): a fake clock, and recording fake
/// platforms for Discord and Telegram. Tests plan deliveries by storing articles and drive the dispatcher themselves.
/// </summary>
public sealed class DeliveryTestBed : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly TempFolder? _ownFolder;
    private readonly IHost _host;
    private int _articles;

    private DeliveryTestBed(IReadOnlyDictionary<string, string?> settings, RateLimit? discordChannelLimit, RateLimit? discordGlobalLimit, IClusterMembership? membership, DeliveryTestBed? peer)
    {
        var folder = peer?.Folder ?? (_ownFolder = new TempFolder());
        Folder = folder;
        Clock = peer?.Clock ?? new FakeTimeProvider(Start);
        Discord = peer?.Discord ?? new RecordingPublisher(Platform.Discord, discordChannelLimit, Clock, discordGlobalLimit);
        Telegram = peer?.Telegram ?? new RecordingPublisher(Platform.Telegram, clock: Clock);
        _host = TestHosts.Build(folder, settings, configure: b =>
        {
            b.Services.AddSingleton<TimeProvider>(Clock);
            b.Services.AddSingleton<IPlatformPublisher>(Discord);
            b.Services.AddSingleton<IPlatformPublisher>(Telegram);
            if (membership is not null)
            {
                b.Services.AddSingleton(membership);
            }
        });
    }

    public FakeTimeProvider Clock { get; }

    private TempFolder Folder { get; }

    /// <summary>This bed's process: the owner of its claims.</summary>
    public string ProcessId => Services.GetRequiredService<ProcessIdentity>().Id;

    public RecordingPublisher Discord { get; }

    public RecordingPublisher Telegram { get; }

    public IServiceProvider Services => _host.Services;

    public IDeliveryStore Deliveries => Services.GetRequiredService<IDeliveryStore>();

    public static async Task<DeliveryTestBed> CreateAsync(IReadOnlyDictionary<string, string?>? settings = null, RateLimit? discordChannelLimit = null, IClusterMembership? membership = null, RateLimit? discordGlobalLimit = null)
    {
        var bed = new DeliveryTestBed(settings ?? new Dictionary<string, string?>(), discordChannelLimit, discordGlobalLimit, membership, peer: null);
        await bed.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(TestContext.Current.CancellationToken);
        return bed;
    }

    /// <summary>Another process of the same bot: the same database (settings, or the SQLite file), clock and platforms, its own identity.</summary>
    public static DeliveryTestBed AnotherProcess(DeliveryTestBed first, IReadOnlyDictionary<string, string?> settings, IClusterMembership? membership = null) =>
        new(settings, null, null, membership, first);

    /// <summary>One round of this process's dispatcher.</summary>
    public Task<int> DispatchOnceAsync() =>
        Services.GetRequiredService<DeliveryDispatcher>().DispatchDueAsync(TestContext.Current.CancellationToken);

    public async Task<Source> AddSourceAsync(string name)
    {
        var (source, _) = await Services.GetRequiredService<ISourceStore>().AddAsync($"https://{name}.example/feed", name, FullTextMode.Never, fromConfig: false, SourceKind.Feed, TestContext.Current.CancellationToken);
        return source;
    }

    /// <summary>Stores new articles of a source the way a poll does: deliveries are planned for matching subscriptions.</summary>
    public async Task<IReadOnlyList<Article>> PublishAsync(Source source, params string[] titles) =>
        await PublishAsync(source, titles.Select(t => (t, (string?)null, Array.Empty<string>())).ToArray());

    public async Task<IReadOnlyList<Article>> PublishAsync(Source source, params (string Title, string? Teaser, string[] Topics)[] items)
    {
        var drafts = new List<(ArticleDraft, IReadOnlyList<string>)>();
        foreach (var (title, teaser, topics) in items)
        {
            var number = Interlocked.Increment(ref _articles);
            var draft = new ArticleDraft
            {
                Source = source,
                DedupKey = $"item-{number}",
                Title = title,
                Teaser = teaser,
                Url = $"https://{source.Name}.example/articles/{number}",
                FirstSeenAt = Clock.GetUtcNow(),
                PublishedAt = Clock.GetUtcNow().AddSeconds(number),
            };
            draft.Topics.AddRange(topics.Select(t => new TopicTag(t, TopicOrigin.Category)));
            drafts.Add((draft, [draft.DedupKey]));
        }

        var result = await Services.GetRequiredService<IArticleStore>().IngestAsync(new IngestBatch(source, drafts, []), Services.GetRequiredService<IDeliveryPlanner>(), TestContext.Current.CancellationToken);
        return result.Stored;
    }

    /// <summary>Runs a command as a user of a channel on a platform.</summary>
    public Task<CommandReply> RunAsync(string line, string channelId = "100", Platform platform = Platform.Discord, bool admin = true, string userId = "7") =>
        RunAsync(Services, line, new ChannelRef(platform, channelId), admin, userId);

    public static Task<CommandReply> RunAsync(IServiceProvider services, string line, ChannelRef channel, bool admin, string userId)
    {
        var space = line.IndexOf(' ', StringComparison.Ordinal);
        var request = new CommandRequest(space < 0 ? line : line[..space], channel, userId, admin) { ArgumentText = space < 0 ? "" : line[(space + 1)..] };
        return services.GetRequiredService<CommandRouter>().RouteAsync(request, TestContext.Current.CancellationToken);
    }

    /// <summary>Dispatches until nothing due is left.</summary>
    public async Task DispatchAsync()
    {
        var dispatcher = Services.GetRequiredService<DeliveryDispatcher>();
        while (await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken) > 0)
        {
        }
    }

    public async Task<Channel> ChannelAsync(string channelId, Platform platform = Platform.Discord) =>
        await Services.GetRequiredService<IChannelStore>().GetOrAddAsync(platform, channelId, null, null, null, TestContext.Current.CancellationToken);

    public async Task<IReadOnlyList<Delivery>> DeliveriesOfAsync(string channelId, Platform platform = Platform.Discord) =>
        await Deliveries.ListForChannelAsync((await ChannelAsync(channelId, platform)).Id, TestContext.Current.CancellationToken);

    public void Dispose()
    {
        _host.Dispose();
        _ownFolder?.Dispose();
    }
}

/// <summary>Reply text flattened for assertions.</summary>
public static class ReplyText
{
    public static string Of(CommandReply reply) => string.Join('\n', reply.Blocks.Select(block => block switch
    {
        ReplyHeading h => h.Text,
        ReplyParagraph p => p.Text,
        ReplyList l => string.Join('\n', l.Lines.Select(line => $"{line.Text} {line.Detail}")),
        ReplyArticles a => string.Join('\n', a.Articles.Select(post => $"[{post.ShortId}] {post.Title}")),
        ReplyArticleDetail d => $"[{d.Article.ShortId}] {d.Article.Title}\n{d.Article.Summary}",
        ReplyCode c => c.Text,
        _ => "",
    }));
}
