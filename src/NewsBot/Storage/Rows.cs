using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using NewsBot.Model;
using NewsBot.Runtime;

namespace NewsBot.Storage;

/// <summary>
/// Rows as every engine stores them (times as Unix milliseconds, lists as newline-separated text), read into the
/// model: one mapping, whichever driver's reader it is given.
/// </summary>
internal static class Rows
{
    public static DateTimeOffset FromUnixMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public static string? NullableString(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    public static string String(this DbDataReader reader, string column) => reader.GetString(reader.GetOrdinal(column));

    public static long Int64(this DbDataReader reader, string column) => reader.GetInt64(reader.GetOrdinal(column));

    public static long? NullableInt64(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
    }

    /// <summary>A flag: SQLite keeps it as 0/1, PostgreSQL as boolean.</summary>
    public static bool Bool(this DbDataReader reader, string column)
    {
        var ordinal = reader.GetOrdinal(column);
        return reader.GetFieldType(ordinal) == typeof(bool) ? reader.GetBoolean(ordinal) : reader.GetInt64(ordinal) != 0;
    }

    public static DateTimeOffset Time(this DbDataReader reader, string column) => FromUnixMs(reader.Int64(column));

    public static DateTimeOffset? NullableTime(this DbDataReader reader, string column) =>
        reader.NullableInt64(column) is { } ms ? FromUnixMs(ms) : null;

    /// <summary>Lists are stored as newline-separated text: readable in a database shell and cheap to split.</summary>
    public static IReadOnlyList<string> Lines(this DbDataReader reader, string column) =>
        reader.NullableString(column) is { Length: > 0 } text ? text.Split('\n') : [];

    public static string? JoinLines(IEnumerable<string> values)
    {
        var joined = string.Join('\n', values.Select(v => v.Replace('\n', ' ')));
        return joined.Length == 0 ? null : joined;
    }

    /// <summary>Ids as an SQL list literal (our own integers, so no injection); used for IN (...) over a batch.</summary>
    public static string IdList(IReadOnlyCollection<long> ids)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException("At least one id is needed.", nameof(ids));
        }

        return string.Join(',', ids.Select(id => id.ToString(CultureInfo.InvariantCulture)));
    }

    public static Article ReadArticle(DbDataReader r) => new()
    {
        Id = r.Int64("id"),
        SourceId = r.Int64("source_id"),
        DedupKey = r.String("dedup_key"),
        Url = r.NullableString("url"),
        Title = r.String("title"),
        Author = r.NullableString("author"),
        Teaser = r.NullableString("teaser"),
        Text = r.NullableString("text"),
        Summary = r.NullableString("summary"),
        Language = r.NullableString("language"),
        ImageUrl = r.NullableString("image_url"),
        Categories = r.Lines("categories"),
        PublishedAt = r.NullableTime("published_at"),
        UpdatedAt = r.NullableTime("updated_at"),
        FirstSeenAt = r.Time("first_seen_at"),
        StoryId = r.Int64("story_id"),
    };

    public static ClusterMember ReadMember(DbDataReader r) =>
        new(r.String("id"), r.String("host"), r.String("version"), r.Time("started_at"), r.Time("heartbeat_at"), r.Lines("holds"));

    public static Source ReadSource(DbDataReader r) => new()
    {
        Id = r.Int64("id"),
        Url = r.String("url"),
        Name = r.NullableString("name"),
        Kind = Enum.Parse<SourceKind>(r.String("kind"), ignoreCase: true),
        LinkPattern = r.NullableString("link_pattern"),
        FullText = Enum.Parse<FullTextMode>(r.String("full_text"), ignoreCase: true),
        FromConfig = r.Bool("from_config"),
        Paused = r.Bool("paused"),
        Title = r.NullableString("title"),
        SiteUrl = r.NullableString("site_url"),
        ETag = r.NullableString("etag"),
        LastModified = r.NullableString("last_modified"),
        LastPolledAt = r.NullableTime("last_polled_at"),
        NextPollAt = r.Time("next_poll_at"),
        ConsecutiveFailures = (int)r.Int64("consecutive_failures"),
        LastError = r.NullableString("last_error"),
        LastErrorAt = r.NullableTime("last_error_at"),
        DisabledReason = r.NullableString("disabled_reason"),
        CreatedAt = r.Time("created_at"),
    };

    public static Channel ReadChannel(DbDataReader r) => ReadChannel(r, "id", "created_at");

    /// <param name="idColumn">The channel id's column name; a join that also selects another table's id renames it.</param>
    public static Channel ReadChannel(DbDataReader r, string idColumn, string createdColumn) => new()
    {
        Id = r.Int64(idColumn),
        Platform = PlatformNames.Parse(r.String("platform")),
        ExternalId = r.String("external_id"),
        ThreadId = r.String("thread_id") is { Length: > 0 } thread ? thread : null,
        GroupId = r.NullableString("group_id"),
        Name = r.NullableString("name"),
        MaxPostsPerHour = (int)r.Int64("max_posts_per_hour"),
        QuietStart = r.NullableString("quiet_start") is { } start ? TimeOnly.Parse(start, CultureInfo.InvariantCulture) : null,
        QuietEnd = r.NullableString("quiet_end") is { } end ? TimeOnly.Parse(end, CultureInfo.InvariantCulture) : null,
        TimeZone = r.String("time_zone"),
        Language = r.NullableString("language"),
        PlatformLocale = r.NullableString("platform_locale"),
        CreatedAt = r.Time(createdColumn),
    };

    public static Subscription ReadSubscription(DbDataReader r)
    {
        var target = r.String("target");
        return new Subscription
        {
            Id = r.Int64("id"),
            ChannelId = r.Int64("channel_id"),
            Target = target == "all" ? SubscriptionTarget.All : target.StartsWith("topic:", StringComparison.Ordinal) ? SubscriptionTarget.Topic : SubscriptionTarget.Source,
            SourceId = r.NullableInt64("source_id"),
            TopicKey = r.NullableString("topic_key"),
            Include = r.Lines("include"),
            Exclude = r.Lines("exclude"),
            ShowSummary = r.Bool("show_summary"),
            RelatedCount = (int)r.Int64("related_count"),
            Format = Enum.Parse<PostFormat>(r.String("format"), ignoreCase: true),
            Digest = Enum.Parse<DigestMode>(r.String("digest"), ignoreCase: true),
            LinkPreview = r.Bool("link_preview"),
            Silent = r.Bool("silent"),
            Template = r.NullableString("template") is { } template ? JsonSerializer.Deserialize<PostTemplate>(template) : null,
            MentionRoleIds = r.Lines("mention_roles").Select(id => ulong.Parse(id, CultureInfo.InvariantCulture)).ToList(),
            SummaryLanguage = r.NullableString("summary_language"),
            Paused = r.Bool("paused"),
            PausedReason = r.NullableString("paused_reason"),
            CreatedAt = r.Time("created_at"),
        };
    }

    /// <summary>What a subscription row stores for its template and role mentions.</summary>
    public static (string? Template, string? MentionRoles) SubscriptionExtras(Subscription subscription) =>
        (subscription.Template is { } template ? JsonSerializer.Serialize(template) : null,
         JoinLines(subscription.MentionRoleIds.Select(id => id.ToString(CultureInfo.InvariantCulture))));

    public static Delivery ReadDelivery(DbDataReader r) => new()
    {
        Id = r.Int64("id"),
        ChannelId = r.Int64("channel_id"),
        ArticleId = r.Int64("article_id"),
        SubscriptionId = r.NullableInt64("subscription_id"),
        Status = Enum.Parse<DeliveryStatus>(r.String("status"), ignoreCase: true),
        Attempts = (int)r.Int64("attempts"),
        NextAttemptAt = r.Time("next_attempt_at"),
        CreatedAt = r.Time("created_at"),
        SentAt = r.NullableTime("sent_at"),
        PlatformMessageId = r.NullableString("platform_message_id"),
        LastError = r.NullableString("last_error"),
    };

    public static SimilarityDocument ReadSimilarityDocument(DbDataReader r) => new(
        r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetString(3), r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5), r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7),
        FromUnixMs(r.GetInt64(8)));

    public static SearchCandidate ReadSearchCandidate(DbDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), [r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4)]);
}
