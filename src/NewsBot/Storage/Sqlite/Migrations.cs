namespace NewsBot.Storage.Sqlite;

/// <summary>
/// The schema as an ordered, append-only list: migration N brings <c>PRAGMA user_version</c> from N-1 to N.
/// Never edit a released step; add a new one. Times are Unix milliseconds (UTC).
/// </summary>
internal static class Migrations
{
    public static IReadOnlyList<string> Steps { get; } =
    [
        """
        CREATE TABLE sources (
            id INTEGER PRIMARY KEY,
            url TEXT NOT NULL UNIQUE,
            name TEXT,
            kind TEXT NOT NULL DEFAULT 'feed',
            full_text TEXT NOT NULL DEFAULT 'auto',
            from_config INTEGER NOT NULL DEFAULT 0,
            paused INTEGER NOT NULL DEFAULT 0,
            title TEXT,
            site_url TEXT,
            etag TEXT,
            last_modified TEXT,
            last_polled_at INTEGER,
            next_poll_at INTEGER NOT NULL DEFAULT 0,
            consecutive_failures INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            last_error_at INTEGER,
            disabled_reason TEXT,
            created_at INTEGER NOT NULL
        );
        CREATE INDEX ix_sources_next_poll ON sources(next_poll_at);

        CREATE TABLE articles (
            id INTEGER PRIMARY KEY,
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            dedup_key TEXT NOT NULL,
            url TEXT,
            title TEXT NOT NULL,
            author TEXT,
            teaser TEXT,
            text TEXT,
            summary TEXT,
            language TEXT,
            image_url TEXT,
            categories TEXT,
            published_at INTEGER,
            updated_at INTEGER,
            first_seen_at INTEGER NOT NULL,
            sort_at INTEGER NOT NULL,
            story_id INTEGER NOT NULL,
            fingerprint INTEGER,
            UNIQUE (source_id, dedup_key)
        );
        CREATE INDEX ix_articles_sort ON articles(sort_at DESC, id DESC);
        CREATE INDEX ix_articles_source_sort ON articles(source_id, sort_at DESC);
        CREATE INDEX ix_articles_url ON articles(url);
        CREATE INDEX ix_articles_story ON articles(story_id);

        -- Every identity key of an article (guid, url, hash): an item matching any of them is the same article.
        CREATE TABLE article_keys (
            source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (source_id, key)
        ) WITHOUT ROWID;

        CREATE VIRTUAL TABLE articles_fts USING fts5(
            title, summary, text,
            content = 'articles', content_rowid = 'id',
            tokenize = 'unicode61 remove_diacritics 2'
        );
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, summary, text) VALUES (new.id, new.title, new.summary, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, summary, text) VALUES ('delete', old.id, old.title, old.summary, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, summary, text) VALUES ('delete', old.id, old.title, old.summary, old.text);
            INSERT INTO articles_fts(rowid, title, summary, text) VALUES (new.id, new.title, new.summary, new.text);
        END;

        CREATE TABLE topics (
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL
        );

        CREATE TABLE article_topics (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            topic_id INTEGER NOT NULL REFERENCES topics(id) ON DELETE CASCADE,
            origin TEXT NOT NULL,
            weight REAL NOT NULL DEFAULT 1,
            sort_at INTEGER NOT NULL,
            PRIMARY KEY (article_id, topic_id)
        ) WITHOUT ROWID;
        CREATE INDEX ix_article_topics_topic ON article_topics(topic_id, sort_at DESC);
        CREATE INDEX ix_article_topics_time ON article_topics(sort_at);

        CREATE TABLE related_links (
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            url TEXT NOT NULL,
            title TEXT NOT NULL,
            related_article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
            rank INTEGER NOT NULL,
            PRIMARY KEY (article_id, url)
        ) WITHOUT ROWID;

        CREATE TABLE channels (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            external_id TEXT NOT NULL,
            thread_id TEXT NOT NULL DEFAULT '',
            group_id TEXT,
            name TEXT,
            max_posts_per_hour INTEGER NOT NULL DEFAULT 20,
            quiet_start TEXT,
            quiet_end TEXT,
            time_zone TEXT NOT NULL DEFAULT 'UTC',
            created_at INTEGER NOT NULL,
            UNIQUE (platform, external_id, thread_id)
        );

        CREATE TABLE subscriptions (
            id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            target TEXT NOT NULL,
            source_id INTEGER REFERENCES sources(id) ON DELETE CASCADE,
            topic_key TEXT,
            include TEXT,
            exclude TEXT,
            show_summary INTEGER NOT NULL DEFAULT 1,
            related_count INTEGER NOT NULL DEFAULT 3,
            format TEXT NOT NULL DEFAULT 'full',
            digest TEXT NOT NULL DEFAULT 'off',
            link_preview INTEGER NOT NULL DEFAULT 1,
            silent INTEGER NOT NULL DEFAULT 0,
            paused INTEGER NOT NULL DEFAULT 0,
            paused_reason TEXT,
            created_at INTEGER NOT NULL,
            UNIQUE (channel_id, target)
        );
        CREATE INDEX ix_subscriptions_source ON subscriptions(source_id);

        -- The outbox: one row per article per channel, and one per story per channel.
        CREATE TABLE deliveries (
            id INTEGER PRIMARY KEY,
            channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL,
            subscription_id INTEGER REFERENCES subscriptions(id) ON DELETE SET NULL,
            status TEXT NOT NULL DEFAULT 'pending',
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            sent_at INTEGER,
            platform_message_id TEXT,
            last_error TEXT,
            UNIQUE (channel_id, article_id),
            UNIQUE (channel_id, story_id)
        );
        CREATE INDEX ix_deliveries_pending ON deliveries(status, next_attempt_at, id);
        CREATE INDEX ix_deliveries_channel_sent ON deliveries(channel_id, sent_at);

        CREATE TABLE platform_state (
            platform TEXT NOT NULL,
            key TEXT NOT NULL,
            value TEXT NOT NULL,
            PRIMARY KEY (platform, key)
        ) WITHOUT ROWID;
        """,
        // 2: per-term document counts straight from the full-text index, for keyphrase IDF.
        """
        CREATE VIRTUAL TABLE articles_vocab USING fts5vocab(articles_fts, 'row');
        """,
        // 3: index-page sources may name which links are articles.
        """
        ALTER TABLE sources ADD COLUMN link_pattern TEXT;
        """,
        // 4: story detection reads the articles that arrived since a time, on every poll: without this it scans the archive.
        """
        CREATE INDEX ix_articles_first_seen ON articles(first_seen_at);
        """,
        // 5: what each channel was given, by the article's identity keys that hold beyond its source row (canonical
        // URL, a URI-like or long GUID; the title hash only for items without a link). A source removed and added back,
        // or given a new URL, gets new article rows: these keys keep them from being posted to that channel again.
        """
        CREATE INDEX ix_article_keys_article ON article_keys(article_id);
        CREATE TABLE delivered_keys (
            channel_id INTEGER NOT NULL REFERENCES channels(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            PRIMARY KEY (channel_id, key)
        ) WITHOUT ROWID;
        INSERT OR IGNORE INTO delivered_keys (channel_id, key)
        SELECT d.channel_id, k.key FROM deliveries d JOIN article_keys k ON k.article_id = d.article_id
        WHERE k.key LIKE 'url:%' OR k.key LIKE 'guid:%://%' OR k.key LIKE 'guid:urn:%' OR k.key LIKE 'guid:tag:%' OR length(k.key) >= 37
           OR (k.key LIKE 'hash:%' AND NOT EXISTS (SELECT 1 FROM article_keys u WHERE u.article_id = k.article_id AND u.key LIKE 'url:%'));
        """,
        // 6: the position of a configured source in NewsBot:Feeds:Sources, so a changed URL moves that source (its id,
        // subscriptions and archive) instead of starting a second one beside it.
        """
        ALTER TABLE sources ADD COLUMN config_slot INTEGER;
        """,
        // 7: a subscription's own post layout (JSON of PostTemplate) and the Discord roles its posts ping (one id a line).
        """
        ALTER TABLE subscriptions ADD COLUMN template TEXT;
        ALTER TABLE subscriptions ADD COLUMN mention_roles TEXT;
        """,
        // 8: runs of Han and kana are indexed as bigrams (newsbot_fts, CjkBigrams), so a word inside a run is found.
        // Rows whose indexed text changes are taken out with the values they were indexed with and put back bigrammed.
        // The index now holds newsbot_fts(column), not the column itself: never run FTS5 'rebuild' on it.
        """
        DROP TRIGGER articles_fts_insert;
        DROP TRIGGER articles_fts_delete;
        DROP TRIGGER articles_fts_update;
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts(rowid, title, summary, text) VALUES (new.id, newsbot_fts(new.title), newsbot_fts(new.summary), newsbot_fts(new.text));
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, summary, text)
            VALUES ('delete', old.id, newsbot_fts(old.title), newsbot_fts(old.summary), newsbot_fts(old.text));
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, summary, text ON articles BEGIN
            INSERT INTO articles_fts(articles_fts, rowid, title, summary, text)
            VALUES ('delete', old.id, newsbot_fts(old.title), newsbot_fts(old.summary), newsbot_fts(old.text));
            INSERT INTO articles_fts(rowid, title, summary, text) VALUES (new.id, newsbot_fts(new.title), newsbot_fts(new.summary), newsbot_fts(new.text));
        END;
        CREATE TEMP TABLE cjk_articles AS
            SELECT id FROM articles
            WHERE newsbot_fts(title) IS NOT title OR newsbot_fts(summary) IS NOT summary OR newsbot_fts(text) IS NOT text;
        INSERT INTO articles_fts(articles_fts, rowid, title, summary, text)
            SELECT 'delete', id, title, summary, text FROM articles WHERE id IN (SELECT id FROM temp.cjk_articles);
        INSERT INTO articles_fts(rowid, title, summary, text)
            SELECT id, newsbot_fts(title), newsbot_fts(summary), newsbot_fts(text) FROM articles WHERE id IN (SELECT id FROM temp.cjk_articles);
        DROP TABLE temp.cjk_articles;
        """,
        // 9: how many articles hold each word the full-text index holds, kept by triggers in the writing transaction, so
        // a word's count is one lookup instead of a full-text query (TermCounts). fts_tokens splits text exactly as the
        // index's unicode61 tokenizer does; the counts start from the index itself (fts5vocab) and stay equal to it.
        """
        CREATE VIRTUAL TABLE fts_tokens USING fts3tokenize('unicode61', 'remove_diacritics=2');
        CREATE TABLE term_counts (
            term TEXT PRIMARY KEY,
            articles INTEGER NOT NULL
        ) WITHOUT ROWID;
        INSERT INTO term_counts (term, articles) SELECT term, doc FROM articles_vocab;
        CREATE TRIGGER term_counts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO term_counts (term, articles)
            SELECT DISTINCT token, 1 FROM fts_tokens
            WHERE input = concat_ws(' ', newsbot_fts(new.title), newsbot_fts(new.summary), newsbot_fts(new.text))
            ON CONFLICT (term) DO UPDATE SET articles = articles + 1;
        END;
        CREATE TRIGGER term_counts_delete AFTER DELETE ON articles BEGIN
            UPDATE term_counts SET articles = articles - 1
            WHERE term IN (SELECT token FROM fts_tokens WHERE input = concat_ws(' ', newsbot_fts(old.title), newsbot_fts(old.summary), newsbot_fts(old.text)));
            DELETE FROM term_counts
            WHERE articles = 0 AND term IN (SELECT token FROM fts_tokens WHERE input = concat_ws(' ', newsbot_fts(old.title), newsbot_fts(old.summary), newsbot_fts(old.text)));
        END;
        CREATE TRIGGER term_counts_update AFTER UPDATE OF title, summary, text ON articles
        WHEN old.title IS NOT new.title OR old.summary IS NOT new.summary OR old.text IS NOT new.text BEGIN
            UPDATE term_counts SET articles = articles - 1
            WHERE term IN (SELECT token FROM fts_tokens WHERE input = concat_ws(' ', newsbot_fts(old.title), newsbot_fts(old.summary), newsbot_fts(old.text)));
            DELETE FROM term_counts
            WHERE articles = 0 AND term IN (SELECT token FROM fts_tokens WHERE input = concat_ws(' ', newsbot_fts(old.title), newsbot_fts(old.summary), newsbot_fts(old.text)));
            INSERT INTO term_counts (term, articles)
            SELECT DISTINCT token, 1 FROM fts_tokens
            WHERE input = concat_ws(' ', newsbot_fts(new.title), newsbot_fts(new.summary), newsbot_fts(new.text))
            ON CONFLICT (term) DO UPDATE SET articles = articles + 1;
        END;
        """,
        // 10: the interface language a channel chose with /settings language (NULL: automatic), the language the
        // platform last reported for the place (a Discord server's locale), which posts follow when none is chosen,
        // and the language a subscription's summaries are translated into (NULL: the article's own).
        """
        ALTER TABLE channels ADD COLUMN language TEXT;
        ALTER TABLE channels ADD COLUMN platform_locale TEXT;
        ALTER TABLE subscriptions ADD COLUMN summary_language TEXT;
        """,
        // 11: which process serves a channel's deliveries and until when (its claim's lease); NULL: nobody.
        """
        ALTER TABLE channels ADD COLUMN delivery_owner TEXT;
        ALTER TABLE channels ADD COLUMN delivery_claimed_until INTEGER;
        """,
    ];
}
