using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Npgsql;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using NewsBot.Storage.Postgres;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>
/// PostgreSQL's per-word article counts (term_counts, PgMigrations 6 and 8): triggers append changes that the folder
/// moves into term_counts; counts read equal to the search vectors before and after every fold.
/// </summary>
public sealed class PostgresTermCountsTests(PostgresServer server)
{
    [Fact]
    public async Task Ingest_EditAndSourceRemoval_CountsExactBeforeAndAfterEachFold()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        var connectionString = settings["NewsBot:Database:ConnectionString"]!;
        using var bed = await DeliveryTestBed.CreateAsync(settings);
        var herald = await bed.AddSourceAsync("herald");
        var courier = await bed.AddSourceAsync("courier");
        var stored = await bed.PublishAsync(herald, "Glaciers retreat in the Alps", "Café owners don't expect the rent to fall", "全球气候变化会议在巴黎开幕");
        await bed.PublishAsync(courier, "Glacier survey finds thinner ice in the Alps");
        await AssertExactBeforeAndAfterFoldAsync(bed, connectionString, counts =>
        {
            Assert.Equal(2, counts.Count("ALPS"));
            Assert.Equal(1, counts.Count("Cafe"));
            Assert.Equal(1, counts.Count("气候变化"));
            Assert.Equal(0, counts.Count("候气"));
            Assert.Equal(0, counts.Count("--"));
        });

        var edit = new ArticleEdit(stored[0].Id, "Avalanche warning", null, null, null, []);
        await bed.Services.GetRequiredService<IArticleStore>().IngestAsync(new IngestBatch(herald, [], [edit]), bed.Services.GetRequiredService<IDeliveryPlanner>(), ct);
        await AssertExactBeforeAndAfterFoldAsync(bed, connectionString, counts =>
        {
            Assert.Equal(1, counts.Count("alps"));
            Assert.Equal(1, counts.Count("avalanche"));
            Assert.Equal(0, counts.Count("retreat"));
        });

        await bed.Services.GetRequiredService<ISourceStore>().RemoveAsync(herald.Id, ct);
        await AssertExactBeforeAndAfterFoldAsync(bed, connectionString, counts =>
        {
            Assert.Equal(1, counts.Count("alps"));
            Assert.Equal(0, counts.Count("avalanche"));
            Assert.Equal(0, counts.Count("cafe"));
        });
    }

    [Fact]
    public async Task Ingest_WhileAnotherIngestWithTheSameWordsIsOpen_DoesNotWait()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        var connectionString = settings["NewsBot:Database:ConnectionString"]!;
        // The bed's ingest gives up after 2 s waiting for any lock: step 6's triggers made it wait for the open
        // transaction below to end (their advisory lock, and the rows of the words both articles hold).
        settings["NewsBot:Database:ConnectionString"] = connectionString + ";Options=-c lock_timeout=2s";
        using var bed = await DeliveryTestBed.CreateAsync(settings);
        var herald = await bed.AddSourceAsync("herald");
        var courier = await bed.AddSourceAsync("courier");

        await using var first = new NpgsqlConnection(connectionString);
        await first.OpenAsync(ct);
        await using (var open = await first.BeginTransactionAsync(ct))
        {
            await InsertArticleAsync(first, open, herald.Id, "Glaciers retreat in the Alps");

            await bed.PublishAsync(courier, "Glaciers of the Alps lose a tenth of their ice");

            using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
            {
                Assert.Equal(1, counts.Count("glaciers"));
            }

            await open.CommitAsync(ct);
        }

        using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            Assert.Equal(2, counts.Count("glaciers"));
        }

        await AssertCountsEqualIndexAsync(connectionString);
    }

    [Fact]
    public async Task NewestWith_ListCutShortByDeletions_AnswersFromTheIndexUntilNewHoldersFillIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        var connectionString = settings["NewsBot:Database:ConnectionString"]!;
        using var bed = await DeliveryTestBed.CreateAsync(settings);
        var herald = await bed.AddSourceAsync("herald");
        var folder = bed.Services.GetRequiredService<PgTermCountFolder>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        for (var i = 0; i < PgTermCounts.NewestListed + 5; i++)
        {
            await InsertArticleAsync(connection, null, herald.Id, $"Glacier report {i}");
        }

        await folder.FoldAsync(ct);
        var holders = await NewestByIndexAsync(connection, "glacier");
        await ExecuteAsync(connection, $"DELETE FROM articles WHERE id IN ({holders[0]}, {holders[2]})");

        // Pending, then folded: the list holds the 198 newest of 203 holders, enough for 80 and not for 200.
        foreach (var fold in new[] { false, true })
        {
            if (fold)
            {
                await folder.FoldAsync(ct);
            }

            using var counts = new PgTermCounts(connection, ownsConnection: false);
            Assert.Equal(holders.Where((_, i) => i is not (0 or 2)).Take(80), counts.Newest(["Glacier"], 80)[0]);
            Assert.Null(counts.Newest(["glacier"], PgTermCounts.NewestListed)[0]);
            using var reader = bed.Services.GetRequiredService<ISimilarityIndex>().Open();
            Assert.Equal([await NewestByIndexAsync(connection, "glacier"), []], reader.NewestWith(["glacier", "moraine"], PgTermCounts.NewestListed));
        }

        await InsertArticleAsync(connection, null, herald.Id, "Glacier report late");
        await InsertArticleAsync(connection, null, herald.Id, "Glacier report later");
        await folder.FoldAsync(ct);
        using (var counts = new PgTermCounts(connection, ownsConnection: false))
        {
            Assert.Equal(await NewestByIndexAsync(connection, "glacier"), counts.Newest(["glacier"], PgTermCounts.NewestListed)[0]);
        }
    }

    [Fact]
    public async Task Fold_WhileAnotherProcessFolds_SkipsAndLeavesTheChangesPending()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        var connectionString = settings["NewsBot:Database:ConnectionString"]!;
        using var bed = await DeliveryTestBed.CreateAsync(settings);
        await bed.PublishAsync(await bed.AddSourceAsync("herald"), "Glaciers retreat in the Alps");
        var folder = bed.Services.GetRequiredService<PgTermCountFolder>();
        var pending = await PendingAsync(connectionString);
        Assert.True(pending > 0);

        await using (var other = new NpgsqlConnection(connectionString))
        {
            await other.OpenAsync(ct);
            await using var folding = await other.BeginTransactionAsync(ct);
            await using (var take = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({PgTermCountFolder.FoldLock})", other, folding))
            {
                await take.ExecuteNonQueryAsync(ct);
            }

            Assert.Null(await folder.FoldAsync(ct));
            Assert.Equal(pending, await PendingAsync(connectionString));
            await folding.CommitAsync(ct);
        }

        Assert.Equal(pending, await folder.FoldAsync(ct));
        await AssertFoldedAsync(connectionString);
        Assert.Equal(0, await folder.FoldAsync(ct));
    }

    [Fact]
    public async Task FoldService_EveryInterval_FoldsThePendingChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        var connectionString = settings["NewsBot:Database:ConnectionString"]!;
        using var bed = await DeliveryTestBed.CreateAsync(settings);
        await bed.PublishAsync(await bed.AddSourceAsync("herald"), "Glaciers retreat in the Alps");
        var logger = new FakeLogger<TermCountFoldService>();
        using var service = new TermCountFoldService(bed.Services.GetRequiredService<PgTermCountFolder>(), bed.Clock, logger);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(TimeSpan.FromSeconds(30));
        await using var logs = logger.Collector.GetLogsAsync(patience.Token).GetAsyncEnumerator(patience.Token);
        await service.StartAsync(ct);

        bed.Clock.Advance(TermCountFoldService.Interval - TimeSpan.FromMilliseconds(1));
        Assert.True(await PendingAsync(connectionString) > 0);
        bed.Clock.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await logs.MoveNextAsync());
        Assert.Equal(LogLevel.Debug, logs.Current.Level);
        Assert.StartsWith("Folded", logs.Current.Message, StringComparison.Ordinal);
        await AssertFoldedAsync(connectionString);
        await service.StopAsync(ct);
    }

    [Fact]
    public async Task Compose_PostgresEngine_FoldsAfterMigrating()
    {
        using var folder = new TempFolder();
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        using var postgres = TestHosts.Build(folder, settings);
        using var sqlite = TestHosts.Build(folder, new Dictionary<string, string?>());

        var hosted = postgres.Services.GetServices<IHostedService>().ToList();
        Assert.True(hosted.FindIndex(s => s is DatabaseMigrator) < hosted.FindIndex(s => s is TermCountFoldService));
        Assert.DoesNotContain(sqlite.Services.GetServices<IHostedService>(), s => s is TermCountFoldService);
    }

    [Fact]
    public async Task Migrate_Step7DatabaseWithCounts_KeepsThemAndFoldsLaterChanges()
    {
        var ct = TestContext.Current.CancellationToken;
        var settings = await StorageEngines.SettingsAsync(StorageEngines.Postgres, server);
        var connectionString = settings["NewsBot:Database:ConnectionString"]!;
        await using (var old = new NpgsqlConnection(connectionString))
        {
            await old.OpenAsync(ct);
            foreach (var step in PgMigrations.Steps.Take(7))
            {
                await ExecuteAsync(old, step);
            }

            await ExecuteAsync(old, "CREATE TABLE schema_version (version BIGINT NOT NULL); INSERT INTO schema_version VALUES (7)");
            await ExecuteAsync(old, "INSERT INTO sources (id, url, created_at) VALUES (1, 'https://herald.example/feed', 0)");
            await InsertArticleAsync(old, null, 1, "Glaciers retreat in the Alps");
            await InsertArticleAsync(old, null, 1, "Glacier survey finds thinner ice in the Alps");
        }

        var before = await TermCountsAsync(connectionString);
        Assert.Contains(("alps", 2L), before);
        using var bed = await DeliveryTestBed.CreateAsync(settings);

        // The same counts, and the empty word's: every article (migration 9).
        Assert.Equal([("", 2L), .. before], await TermCountsAsync(connectionString));
        Assert.Equal(0, await PendingAsync(connectionString));
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync(ct);
            await InsertArticleAsync(connection, null, 1, "Alps avalanche warning");
            await ExecuteAsync(connection, "DELETE FROM articles WHERE title LIKE 'Glaciers%'");
        }

        await AssertExactBeforeAndAfterFoldAsync(bed, connectionString, counts =>
        {
            Assert.Equal(2, counts.Count("alps"));
            Assert.Equal(0, counts.Count("glaciers"));
            Assert.Equal(1, counts.Count("avalanche"));
        });
    }

    /// <summary>
    /// Counts read through the engine (<paramref name="assertCounts"/>) and in the tables equal the index, with changes
    /// pending; then a fold moves every change and the same holds of term_counts alone.
    /// </summary>
    private static async Task AssertExactBeforeAndAfterFoldAsync(DeliveryTestBed bed, string connectionString, Action<ITermCounts> assertCounts)
    {
        Assert.True(await PendingAsync(connectionString) > 0);
        await AssertCountsEqualIndexAsync(connectionString);
        using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            assertCounts(counts);
        }

        Assert.True(await bed.Services.GetRequiredService<PgTermCountFolder>().FoldAsync(TestContext.Current.CancellationToken) > 0);
        await AssertFoldedAsync(connectionString);
        using (var counts = bed.Services.GetRequiredService<ISearchIndex>().OpenTermCounts())
        {
            assertCounts(counts);
            Assert.Equal(await bed.Services.GetRequiredService<IArticleStore>().CountAsync(TestContext.Current.CancellationToken), counts.Documents);
        }
    }

    /// <summary>
    /// Every lexeme's count, folded plus pending, equals the number of search vectors holding it (ts_stat reads them
    /// all), and no lexeme that no vector holds has a count.
    /// </summary>
    internal static async Task AssertCountsEqualIndexAsync(string connectionString)
    {
        await AssertEqualIndexAsync(connectionString,
            "SELECT term, sum(articles)::bigint FROM (SELECT term, articles FROM term_counts UNION ALL SELECT term, change FROM term_count_changes) c GROUP BY term HAVING sum(articles) <> 0");
        await AssertNewestEqualIndexAsync(connectionString);
    }

    /// <summary>
    /// Every lexeme's newest holders read from its list and the pending changes (newsbot_newest) are its newest holders
    /// in the search vectors, for the whole list and for its first one; here every list is whole (fewer holders than
    /// listed), so each answers.
    /// </summary>
    private static async Task AssertNewestEqualIndexAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand(
            $"""
            SELECT count(*) FILTER (WHERE newsbot_newest(term, {PgTermCounts.NewestListed}) IS DISTINCT FROM newest),
                   count(*) FILTER (WHERE newsbot_newest(term, 1) IS DISTINCT FROM newest[1:1])
            FROM (SELECT term, (array_agg(id ORDER BY id DESC))[1:{PgTermCounts.NewestListed}] AS newest
                  FROM articles, unnest(tsvector_to_array(search)) term GROUP BY term) holders
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0L, 0L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    /// <summary>Nothing is pending, and term_counts alone equals the index, with no zero rows left.</summary>
    internal static async Task AssertFoldedAsync(string connectionString)
    {
        Assert.Equal(0, await PendingAsync(connectionString));
        await AssertEqualIndexAsync(connectionString, "SELECT term, articles FROM term_counts");
        await AssertNewestEqualIndexAsync(connectionString);
    }

    /// <summary>
    /// The counted (term, articles) rows equal the index's: every lexeme's, and the empty word's, which counts every
    /// article (PgMigrations 9).
    /// </summary>
    private static async Task AssertEqualIndexAsync(string connectionString, string counted)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        const string indexed = "SELECT * FROM (SELECT word, ndoc FROM ts_stat('SELECT search FROM articles') UNION ALL SELECT '', count(*) FROM articles HAVING count(*) > 0) i";
        await using var command = new NpgsqlCommand(
            $"""
            SELECT (SELECT count(*) FROM ({indexed} EXCEPT {counted}) missing),
                   (SELECT count(*) FROM ({counted} EXCEPT {indexed}) extra)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await reader.ReadAsync(TestContext.Current.CancellationToken);
        Assert.Equal((0L, 0L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    /// <summary>The newest listed-length holders of a lexeme by the full-text index, newest first.</summary>
    private static async Task<List<long>> NewestByIndexAsync(NpgsqlConnection connection, string lexeme)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT id FROM articles WHERE search @@ to_tsquery('simple', @lexeme) ORDER BY id DESC LIMIT {PgTermCounts.NewestListed}", connection);
        command.Parameters.AddWithValue("lexeme", lexeme);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var ids = new List<long>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    private static async Task<long> PendingAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM term_count_changes", connection);
        return (long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    private static async Task<List<(string, long)>> TermCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT term, articles FROM term_counts ORDER BY term", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<(string, long)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return rows;
    }

    /// <summary>An article whose search vector is its title's words, as a writer outside the store would add it.</summary>
    private static async Task InsertArticleAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, long sourceId, string title)
    {
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO articles (source_id, dedup_key, title, first_seen_at, sort_at, story_id, search)
            VALUES (@source, @title, @title, 0, 0, 0, to_tsvector('simple', @title))
            """, connection, transaction);
        command.Parameters.AddWithValue("source", sourceId);
        command.Parameters.AddWithValue("title", title);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }
}
