namespace NewsBot.Storage.Postgres;

/// <summary>
/// Moves the pending term count changes (term_count_changes, PgMigrations 8 and 9) into term_counts: summed per term,
/// added, each term's newest holders merged (newsbot_merge_newest), and a term no article holds any more removed, all in one transaction, so a reader, which adds what is still pending
/// (<see cref="PgTermCounts"/>), sees either the changes or their sum, never both. One process folds at a time; the
/// others skip rather than wait, as the next round folds whatever they would have.
/// </summary>
internal sealed class PgTermCountFolder(PgConnections connections)
{
    /// <summary>Held by the fold in progress, to the end of its transaction ("NewsFold"); db copy takes it too.</summary>
    internal const long FoldLock = 0x4E65_7773_466F_6C64;

    /// <summary>
    /// Folds what is pending now; changes of transactions still open are not visible to it and wait for the next fold.
    /// Nothing pending costs one small query. Only the holder of <see cref="FoldLock"/> writes term_counts, so the counts
    /// read in the fold's snapshot are the ones it replaces.
    /// </summary>
    /// <remarks>
    /// Almost every change is a new article, newer than every holder its words list: the list is then those ids in
    /// front of the old one, cut to <see cref="PgTermCounts.NewestListed"/>, without the general merge (newsbot_merge_newest), which took 45 % of the
    /// fold's time in the load run. A word's list that is empty although the word has holders (cut short by deletions)
    /// has no newest holder to compare with, so it takes the general merge; so does any change that removes a holder.
    /// </remarks>
    /// <returns>The change rows folded (0: none was pending), or null when another process is folding.</returns>
    public async Task<long?> FoldAsync(CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var state = await connection.QueryAsync(transaction,
            "SELECT pg_try_advisory_xact_lock(@lock), EXISTS (SELECT 1 FROM term_count_changes)",
            r => (Folding: r.GetBoolean(0), Pending: r.GetBoolean(1)), cancellationToken, ("lock", FoldLock));
        if (!state[0].Folding)
        {
            return null;
        }

        if (!state[0].Pending)
        {
            return 0;
        }

        var folded = await connection.ScalarAsync<long>(transaction,
            $$"""
            WITH moved AS (DELETE FROM term_count_changes RETURNING term, change, article_id),
            summed AS (
                SELECT term, sum(change)::bigint AS change, min(article_id) FILTER (WHERE change > 0) AS oldest_came,
                    array_agg(article_id ORDER BY article_id DESC) FILTER (WHERE change > 0) AS came,
                    array_agg(article_id) FILTER (WHERE change < 0) AS gone
                FROM moved GROUP BY term),
            merged AS (
                SELECT s.term, COALESCE(c.articles, 0) + s.change AS articles, c.term IS NOT NULL AS known,
                    CASE WHEN s.gone IS NULL AND (c.term IS NULL OR s.oldest_came > c.newest[1])
                        THEN (s.came || COALESCE(c.newest, '{}'))[1:{{PgTermCounts.NewestListed}}]
                        ELSE newsbot_merge_newest(COALESCE(c.newest, '{}'), COALESCE(c.articles, 0), s.came, s.gone) END AS newest
                FROM summed s LEFT JOIN term_counts c ON c.term = s.term),
            removed AS (DELETE FROM term_counts c USING merged m WHERE m.known AND m.articles <= 0 AND c.term = m.term),
            updated AS (UPDATE term_counts c SET articles = m.articles, newest = m.newest FROM merged m WHERE m.known AND m.articles > 0 AND c.term = m.term),
            added AS (INSERT INTO term_counts (term, articles, newest) SELECT term, articles, newest FROM merged WHERE NOT known AND articles > 0)
            SELECT count(*) FROM moved
            """,
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // The folded rows are dead now, and readers walk the term index through dead entries until a vacuum removes
        // them (a word's count went from 0.9 to 4.8 ms between two load runs as they piled up). The table holds about
        // a second of changes, so vacuuming it after each fold is a few milliseconds.
        await connection.ExecuteUnboundedAsync(null, "VACUUM term_count_changes", cancellationToken);
        return folded;
    }
}
