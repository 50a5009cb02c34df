using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using NewsBot.Storage.Sqlite;
using NewsBot.Storage;

namespace NewsBot.Benchmarks.Archive;

/// <summary>
/// Fills a migrated, empty database with a synthetic year of news: several hundred sources of very different output,
/// a few thousand topics (each with its own cluster of words), about three topics per article, related links for some.
/// Writes straight through SQL with prepared statements, one transaction per 10,000 articles; the full-text index is
/// filled by the schema's own triggers, as in production. Deterministic for a given article count.
/// </summary>
public static class ArchiveGenerator
{
    public const int Sources = 400;
    public const int Topics = 3_000;
    private const int BatchSize = 10_000;
    private const int ClusterWords = 12;
    private static readonly TimeSpan Span = TimeSpan.FromDays(365);

    /// <summary>The time of the newest article of an archive generated at <paramref name="now"/>: whole hours, so reruns agree.</summary>
    public static DateTimeOffset Anchor(DateTimeOffset now) => new(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);

    /// <summary>Topic keys and names, ranked by how often articles carry them (most first).</summary>
    public static IReadOnlyList<TopicName> TopicNames(ArchiveVocabulary vocabulary, ITopicNormalizer normalizer)
    {
        var names = new List<TopicName>(Topics);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var t = 0; names.Count < Topics; t++)
        {
            var head = vocabulary.Words[vocabulary.FirstContentRank + (t % 150)];
            var tail = vocabulary.Words[vocabulary.FirstContentRank + 2_000 + t];
            var name = normalizer.Normalize(Capitalize(head) + " " + Capitalize(tail));
            if (name.Key.Length > 0 && keys.Add(name.Key))
            {
                names.Add(name);
            }
        }

        return names;
    }

    public static async Task<TimeSpan> GenerateAsync(string databasePath, int articles, DateTimeOffset anchor, ArchiveVocabulary vocabulary, IReadOnlyList<TopicName> topics, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        await connection.OpenAsync(cancellationToken);
        SqliteConnectionFactory.AddFunctions(connection);
        // A throw-away file being filled: durability per commit buys nothing, a big page cache saves index page reloads.
        await ExecuteAsync(connection, "PRAGMA synchronous = OFF; PRAGMA cache_size = -400000; PRAGMA temp_store = MEMORY;", cancellationToken);

        var random = new Random(20_261_126);
        var start = anchor - Span;
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken))
        {
            for (var s = 1; s <= Sources; s++)
            {
                await ExecuteAsync(connection, $"INSERT INTO sources (id, url, name, created_at) VALUES ({s}, 'https://s{s}.example/feed', 'Outlet {s}', {start.ToUnixTimeMilliseconds()})", cancellationToken, transaction);
            }

            for (var t = 0; t < topics.Count; t++)
            {
                await using var insertTopic = Command(connection, transaction, "INSERT INTO topics (id, key, name) VALUES ($id, $key, $name)", "$id", "$key", "$name");
                Bind(insertTopic, t + 1, topics[t].Key, topics[t].Display);
                await insertTopic.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        var clusters = Enumerable.Range(0, topics.Count).Select(t =>
        {
            var own = new Random(t);
            return Enumerable.Range(0, ClusterWords).Select(_ => vocabulary.Words[own.Next(vocabulary.FirstContentRank + 50, 20_000)]).ToArray();
        }).ToArray();

        var step = Span.TotalMilliseconds / articles;
        for (var batchStart = 0; batchStart < articles; batchStart += BatchSize)
        {
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var insertArticle = Command(connection, transaction,
                """
                INSERT INTO articles (id, source_id, dedup_key, url, title, summary, text, language, published_at, first_seen_at, sort_at, story_id)
                VALUES ($id, $source, $url, $url, $title, $summary, $text, 'en', $published, $seen, $published, $id)
                """,
                "$id", "$source", "$url", "$title", "$summary", "$text", "$published", "$seen");
            await using var insertKey = Command(connection, transaction, "INSERT INTO article_keys (source_id, key, article_id) VALUES ($source, $key, $id)", "$source", "$key", "$id");
            await using var insertTopic = Command(connection, transaction,
                "INSERT OR IGNORE INTO article_topics (article_id, topic_id, origin, weight, sort_at) VALUES ($id, $topic, 'keyphrase', 1, $sort)", "$id", "$topic", "$sort");
            await using var insertLink = Command(connection, transaction,
                "INSERT OR IGNORE INTO related_links (article_id, url, title, related_article_id, rank) VALUES ($id, $url, $title, $related, $rank)", "$id", "$url", "$title", "$related", "$rank");

            for (var i = batchStart; i < Math.Min(articles, batchStart + BatchSize); i++)
            {
                var id = i + 1L;
                var source = 1 + (int)(Sources * Math.Pow(random.NextDouble(), 2));
                var published = Math.Min(anchor.ToUnixTimeMilliseconds(), start.ToUnixTimeMilliseconds() + (long)(i * step) + random.NextInt64(-3_600_000, 3_600_000));
                var url = $"https://s{source}.example/news/{id}";
                int[] own = [(int)(topics.Count * Math.Pow(random.NextDouble(), 3)), random.Next(topics.Count), (int)(topics.Count * Math.Pow(random.NextDouble(), 2))];
                var words = own.SelectMany(t => clusters[t]).ToArray();
                Bind(insertArticle, id, source, url,
                    Text(random, vocabulary, words, 8, 0.5, capitalize: true),
                    Text(random, vocabulary, words, 30, 0.25, capitalize: true),
                    Text(random, vocabulary, words, random.Next(40, 160), 0.2, capitalize: true),
                    published, published + random.Next(0, 1_800_000));
                await insertArticle.ExecuteNonQueryAsync(cancellationToken);
                Bind(insertKey, source, url, id);
                await insertKey.ExecuteNonQueryAsync(cancellationToken);
                foreach (var topic in own)
                {
                    Bind(insertTopic, id, topic + 1, published);
                    await insertTopic.ExecuteNonQueryAsync(cancellationToken);
                }

                if (id > 1 && random.NextDouble() < 0.15)
                {
                    for (var rank = 0; rank < 2; rank++)
                    {
                        var related = random.NextInt64(Math.Max(1, id - 20_000), id);
                        Bind(insertLink, id, $"https://related.example/{related}", Text(random, vocabulary, words, 7, 0.5, capitalize: true), related, rank);
                        await insertLink.ExecuteNonQueryAsync(cancellationToken);
                    }
                }
            }

            await transaction.CommitAsync(cancellationToken);
        }

        await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE);", cancellationToken);
        return watch.Elapsed;
    }

    /// <summary>Words drawn from the archive-wide distribution, with a share taken from the article's topic clusters.</summary>
    private static string Text(Random random, ArchiveVocabulary vocabulary, string[] topicWords, int count, double topicShare, bool capitalize)
    {
        var text = new StringBuilder(count * 8);
        for (var w = 0; w < count; w++)
        {
            var word = random.NextDouble() < topicShare ? topicWords[random.Next(topicWords.Length)] : vocabulary.Draw(random);
            text.Append(w == 0 ? "" : " ").Append(w == 0 && capitalize ? Capitalize(word) : word);
        }

        return text.Append('.').ToString();
    }

    private static string Capitalize(string word) => char.ToUpperInvariant(word[0]) + word[1..];

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Bind(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
