using System.Text;

namespace NewsBot.Storage;

/// <summary>
/// Article queries whose text is the same on every engine. Parameters are written <c>@name</c>, which both drivers bind.
/// </summary>
internal static class ArticleSql
{
    /// <summary>The columns <see cref="Rows.ReadArticle"/> reads, from <c>articles a</c>.</summary>
    public const string Columns =
        "a.id, a.source_id, a.dedup_key, a.url, a.title, a.author, a.teaser, a.text, a.summary, a.language, a.image_url, a.categories, a.published_at, a.updated_at, a.first_seen_at, a.story_id";

    /// <summary>
    /// Newest first (parameters @topic, @source, @before, @limit). By topic the walk goes down the topic's
    /// (topic_id, sort_at) index, which keeps each article's time: the newest few come first instead of sorting all of
    /// a popular topic's articles. SQLite's plan is tested.
    /// </summary>
    public static string Latest(ArticleQuery query)
    {
        var byTopic = query.TopicKey is not null;
        var sql = new StringBuilder($"SELECT {Columns} FROM ");
        sql.Append(byTopic
            ? "article_topics t JOIN articles a ON a.id = t.article_id WHERE t.topic_id = (SELECT tp.id FROM topics tp WHERE tp.key = @topic)"
            : "articles a WHERE TRUE");
        if (query.SourceId is not null)
        {
            sql.Append(" AND a.source_id = @source");
        }

        if (query.Before is not null)
        {
            sql.Append(byTopic ? " AND t.sort_at < @before" : " AND a.sort_at < @before");
        }

        sql.Append(byTopic ? " ORDER BY t.sort_at DESC, t.article_id DESC LIMIT @limit" : " ORDER BY a.sort_at DESC, a.id DESC LIMIT @limit");
        return sql.ToString();
    }
}
