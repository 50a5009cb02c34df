using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using NewsBot.Cli;
using NewsBot.Commands;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;
using NewsBot.Storage.Sqlite;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>
/// Moving up (<c>newsbot db copy --to</c>): a SQLite database filled by real feed refreshes, channels, subscriptions,
/// sent and pending deliveries and platform state, copied into an empty PostgreSQL database and then read back through
/// the PostgreSQL engine's stores.
/// </summary>
public sealed class DatabaseCopyTests(PostgresServer server)
{
    private static readonly string[] Feeds = ["large_rss.xml", "large_atom.xml", "urdu_UTF8.xml", "small_atom.xml"];

    private static readonly string[] Searches = ["the", "bridge OR library", "\"new york\"", "world -sport", "ماہرین", "title:news"];

    [Fact]
    public async Task Copy_FilledSqliteDatabase_PostgresEngineAnswersTheSame()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sqlite = await DeliveryTestBed.CreateAsync();
        var (pendingBefore, sentId) = await FillAsync(sqlite);
        var target = await server.CreateDatabaseAsync(ct) + ";Password=hunter2";
        using var folder = new TempFolder();

        var (exit, output) = await CopyAsync(folder, sqlite, target);

        Assert.True(exit == 0, output);
        Assert.Contains("Verified: every table's count is equal", output, StringComparison.Ordinal);
        Assert.Matches(@"articles\s+[1-9][\d,]*\s+[1-9][\d,]*", output);
        Assert.DoesNotContain("hunter2", output, StringComparison.Ordinal);
        // The switch-over hint names the target as given, not with the copy's own settings (no command timeout).
        Assert.Contains($"NewsBot__Database__ConnectionString=\"{DatabaseCopy.SafeLocation(target)}\"", output, StringComparison.Ordinal);

        // Read at the same moment as the SQLite side (search ranks by recency).
        using var postgres = TestHosts.Build(folder, new Dictionary<string, string?>
        {
            ["NewsBot:Database:Provider"] = "postgres",
            ["NewsBot:Database:ConnectionString"] = target,
        }, configure: b => b.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(sqlite.Clock.GetUtcNow())));
        await postgres.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
        foreach (var query in Searches)
        {
            Assert.Equal(await SearchAsync(sqlite.Services, query), await SearchAsync(postgres.Services, query));
        }

        Assert.Equal(await LatestAsync(sqlite.Services), await LatestAsync(postgres.Services));
        var pending = postgres.Services.GetRequiredService<IDeliveryStore>();
        Assert.Equal(pendingBefore, await pending.CountPendingAsync(ct));
        var channel = await postgres.Services.GetRequiredService<IChannelStore>().GetOrAddAsync(Platform.Discord, "100", null, null, null, ct);
        var copied = await pending.ListForChannelAsync(channel.Id, ct);
        Assert.Equal(
            (await sqlite.DeliveriesOfAsync("100")).Select(d => (d.Id, d.Status, d.PlatformMessageId)),
            copied.Select(d => (d.Id, d.Status, d.PlatformMessageId)));
        Assert.Equal(DeliveryStatus.Sent, copied.Single(d => d.Id == sentId).Status);
        Assert.Equal("4242", await postgres.Services.GetRequiredService<IPlatformStateStore>().GetAsync("telegram", "update_offset", ct));

        // The identity sequences continue after the copied ids.
        var maxSource = (await sqlite.Services.GetRequiredService<ISourceStore>().ListAsync(ct)).Max(s => s.Id);
        var (added, _) = await postgres.Services.GetRequiredService<ISourceStore>().AddAsync("https://later.example/feed", "Later", FullTextMode.Never, fromConfig: false, SourceKind.Feed, ct);
        Assert.Equal(maxSource + 1, added.Id);

        // /related's word counts came along: term_counts holds what the copied search vectors hold.
        using (var counts = postgres.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.True(counts.Count("the") > 0);
        }

        await PostgresTermCountsTests.AssertFoldedAsync(target);

        // A second copy into the now filled database is refused, and leaves it as it was.
        var (again, _) = await CopyAsync(folder, sqlite, target);
        Assert.Equal(ExitCodes.Database, again);
        Assert.Equal(pendingBefore, await pending.CountPendingAsync(ct));
    }

    [Fact]
    public async Task Copy_TargetOnceHeldArticles_CountsAreTheCopiedArticlesOnly()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sqlite = await DeliveryTestBed.CreateAsync();
        await sqlite.PublishAsync(await sqlite.AddSourceAsync("herald"), "Glaciers retreat in the Alps", "Council approves the budget");
        // The target is empty again, but its counts still hold a folded article and the change that took it out.
        var target = await server.CreateDatabaseAsync(ct);
        using var postgres = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?>
        {
            ["NewsBot:Database:Provider"] = "postgres",
            ["NewsBot:Database:ConnectionString"] = target,
        });
        var gone = await postgres.AddSourceAsync("gone");
        await postgres.PublishAsync(gone, "Glaciers of the Alps lose a tenth of their ice");
        Assert.True(await postgres.Services.GetRequiredService<PgTermCountFolder>().FoldAsync(ct) > 0);
        await postgres.Services.GetRequiredService<ISourceStore>().RemoveAsync(gone.Id, ct);

        var foreignKeys = await ForeignKeysAsync(target);

        var report = await DatabaseCopy.ToPostgresAsync(sqlite.Services.GetRequiredService<IDatabaseExport>(), target, TimeProvider.System, NullLoggerFactory.Instance, null, ct);

        Assert.True(report.Verified);
        // The copy drops the foreign keys while it fills the tables, and adds every one back.
        Assert.NotEmpty(foreignKeys);
        Assert.Equal(foreignKeys, await ForeignKeysAsync(target));
        await PostgresTermCountsTests.AssertFoldedAsync(target);
        using var counts = postgres.Services.GetRequiredService<ISearchIndex>().OpenTermCounts();
        Assert.Equal(1, counts.Count("glaciers"));
        Assert.Equal(0, counts.Count("ice"));
    }

    [Fact]
    public async Task Copy_RowWithoutItsParent_FailsAndLeavesTheTargetEmptyWithItsKeys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sqlite = await DeliveryTestBed.CreateAsync();
        await sqlite.PublishAsync(await sqlite.AddSourceAsync("herald"), "Glaciers retreat in the Alps");
        // An article key whose article is gone, as a file written with foreign keys off would hold.
        await using (var connection = await sqlite.Services.GetRequiredService<SqliteConnectionFactory>().OpenAsync(ct))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA foreign_keys = OFF; INSERT INTO article_keys (source_id, key, article_id) SELECT id, 'dangling', 999999 FROM sources; PRAGMA foreign_keys = ON;";
            await command.ExecuteNonQueryAsync(ct);
        }

        var target = await server.CreateDatabaseAsync(ct);
        using var postgres = await DeliveryTestBed.CreateAsync(new Dictionary<string, string?>
        {
            ["NewsBot:Database:Provider"] = "postgres",
            ["NewsBot:Database:ConnectionString"] = target,
        });
        var foreignKeys = await ForeignKeysAsync(target);

        var error = await Record.ExceptionAsync(() => DatabaseCopy.ToPostgresAsync(
            sqlite.Services.GetRequiredService<IDatabaseExport>(), target, TimeProvider.System, NullLoggerFactory.Instance, null, ct));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, Assert.IsType<PostgresException>(error).SqlState);
        Assert.Equal(0, await postgres.Services.GetRequiredService<IArticleStore>().CountAsync(ct));
        Assert.Equal(foreignKeys, await ForeignKeysAsync(target));
    }

    [Fact]
    public async Task Copy_TargetNotEmpty_RefusedNamingTheTablesWithoutThePassword()
    {
        var ct = TestContext.Current.CancellationToken;
        using var sqlite = await DeliveryTestBed.CreateAsync();
        await sqlite.AddSourceAsync("herald");
        var target = await server.CreateDatabaseAsync(ct) + ";Password=hunter2";
        using (var folder = new TempFolder())
        {
            using var postgres = TestHosts.Build(folder, new Dictionary<string, string?>
            {
                ["NewsBot:Database:Provider"] = "postgres",
                ["NewsBot:Database:ConnectionString"] = target,
            });
            await postgres.Services.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);
            await postgres.Services.GetRequiredService<IChannelStore>().GetOrAddAsync(Platform.Telegram, "-100", null, null, null, ct);
        }

        var refused = await Assert.ThrowsAsync<DatabaseCopyRefusedException>(() => DatabaseCopy.ToPostgresAsync(
            sqlite.Services.GetRequiredService<IDatabaseExport>(), target, TimeProvider.System, NullLoggerFactory.Instance, null, ct));

        Assert.Contains("is not empty (channels: 1 rows)", refused.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was copied", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>Real feeds through the real refresh (fetch, parse, process, store, plan), then the bot's other state.</summary>
    private static async Task<(long Pending, long SentId)> FillAsync(DeliveryTestBed bed)
    {
        var ct = TestContext.Current.CancellationToken;
        var sources = bed.Services.GetRequiredService<ISourceStore>();
        var subscriptions = bed.Services.GetRequiredService<ISubscriptionStore>();
        var discord = await bed.ChannelAsync("100");
        var telegram = await bed.ChannelAsync("-200", Platform.Telegram);
        foreach (var feed in Feeds)
        {
            var (source, _) = await sources.AddAsync(TestCorpus.Require("feeds", "real", "miniflux", feed), feed, FullTextMode.Never, fromConfig: false, SourceKind.Feed, ct);
            await subscriptions.UpsertAsync(new Subscription { ChannelId = discord.Id, Target = SubscriptionTarget.Source, SourceId = source.Id }, ct);
            var result = await bed.Services.GetRequiredService<SourceRefresher>().RefreshAsync(source, ct);
            Assert.Null(result.Error);
        }

        await subscriptions.UpsertAsync(new Subscription { ChannelId = telegram.Id, Target = SubscriptionTarget.All, Include = ["world"], ShowSummary = false }, ct);
        await bed.Services.GetRequiredService<IPlatformStateStore>().SetAsync("telegram", "update_offset", "4242", ct);
        var first = (await bed.DeliveriesOfAsync("100"))[0];
        // Sent as the dispatcher sends: claimed first (the claim columns are copied too), then marked by the claim's owner.
        var now = bed.Clock.GetUtcNow();
        await bed.Deliveries.ClaimDueAsync(Platform.Discord, new DeliveryClaim("copy-test", now, now.AddMinutes(5), ["copy-test"]), 100, ct);
        await bed.Deliveries.MarkSentAsync("copy-test", [first.Id], DeliveryStatus.Sent, "msg-1", now, ct);
        var pending = await bed.Deliveries.CountPendingAsync(ct);
        Assert.True(pending > 0);
        return (pending, first.Id);
    }

    private static async Task<(int Exit, string Output)> CopyAsync(TempFolder folder, DeliveryTestBed sqlite, string target)
    {
        var settings = new Dictionary<string, string?> { ["NewsBot:Database"] = sqlite.Services.GetRequiredService<IStorageMaintenance>().Location };
        using var host = TestHosts.Build(folder, settings, configure: b => CliServiceCollectionExtensions.AddCli(b.Services));
        using var output = new StringWriter();
        var exit = await CliRunner.RunAsync(host, ["db", "copy", "--to", target], output, TestContext.Current.CancellationToken);
        return (exit, output.ToString());
    }

    /// <summary>The database's foreign keys, each as its table and definition.</summary>
    private static async Task<List<string>> ForeignKeysAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            "SELECT conrelid::regclass::text || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' ORDER BY 1", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var keys = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    private static async Task<List<(long, string)>> SearchAsync(IServiceProvider services, string query) =>
        (await services.GetRequiredService<ArticleSearch>().SearchAsync(query, 10, TestContext.Current.CancellationToken)).Select(a => (a.Id, a.Title)).ToList();

    private static async Task<List<(long, string, DateTimeOffset)>> LatestAsync(IServiceProvider services) =>
        (await services.GetRequiredService<IArticleStore>().LatestAsync(new ArticleQuery(20), TestContext.Current.CancellationToken)).Select(a => (a.Id, a.Title, a.SortTime)).ToList();
}
