using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// Fills an empty, migrated PostgreSQL database from a snapshot of another engine's tables (<see cref="DatabaseCopy"/>):
/// binary COPY per table inside one transaction, ids as they were. Articles pass through a temporary table so their
/// search vector is built by the server from the same folded text the store writes (<see cref="PgTextSearch"/>).
/// Identity sequences continue after the highest id.
/// </summary>
internal sealed class PgImport(PgConnections connections, TimeProvider time)
{
    /// <summary>Serialises copies into one database: a second one waits, then finds the target no longer empty.</summary>
    private const long CopyLock = 0x4E65_7773_436F_7079;

    private static readonly string[] IndexedColumns = ["title", "summary", "text"];

    /// <summary>Migrates the target, then fills it from one snapshot of <paramref name="source"/>.</summary>
    public static async Task<DatabaseCopyReport> CopyAsync(IDatabaseExport source, string connectionString, TimeProvider time, ILoggerFactory loggers, IProgress<TableCopy>? progress, CancellationToken cancellationToken)
    {
        // Building a million articles' vectors is one statement of many minutes: no command timeout.
        await using var connections = new PgConnections(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString, time);
        await new PostgresDatabase(connections, loggers.CreateLogger<PostgresDatabase>()).MigrateAsync(cancellationToken);
        await using var snapshot = await source.OpenSnapshotAsync(cancellationToken);
        return await new PgImport(connections, time).RunAsync(snapshot, progress, cancellationToken);
    }

    public async Task<DatabaseCopyReport> RunAsync(IDatabaseSnapshot source, IProgress<TableCopy>? progress, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        await using var connection = await connections.OpenOnceAsync(cancellationToken);
        var tables = new List<TableCopy>();
        var samples = new Dictionary<string, (IReadOnlyList<string> Columns, List<object?[]> Rows)>();
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
        {
            await connection.ExecuteAsync(transaction, "SELECT pg_advisory_xact_lock(@lock)", cancellationToken, ("lock", CopyLock));
            await RefuseNonEmptyAsync(connection, transaction, cancellationToken);
            foreach (var table in DatabaseCopy.Tables)
            {
                var targetColumns = await ColumnTypesAsync(connection, transaction, table, cancellationToken);
                var columns = await source.ColumnsAsync(table, cancellationToken);
                if (columns.FirstOrDefault(column => !targetColumns.ContainsKey(column)) is { } unplaced)
                {
                    throw new DatabaseCopyRefusedException($"column {table}.{unplaced} of the source has no place in the PostgreSQL schema (version {PostgresDatabase.LatestVersion}); nothing was copied.");
                }

                var count = await source.CountAsync(table, cancellationToken);
                var every = Math.Max(1, count / DatabaseCopy.SampleRowsPerTable);
                var sample = new List<object?[]>();
                var types = columns.Select(column => targetColumns[column]).ToArray();
                var into = table == "articles" ? "newsbot_copy_articles" : table;
                if (table == "articles")
                {
                    await connection.ExecuteAsync(transaction,
                        $"CREATE TEMP TABLE newsbot_copy_articles ON COMMIT DROP AS SELECT {string.Join(", ", columns)} FROM articles WITH NO DATA; " +
                        "ALTER TABLE newsbot_copy_articles ADD COLUMN title_index TEXT, ADD COLUMN summary_index TEXT, ADD COLUMN text_index TEXT",
                        cancellationToken);
                }

                var indexes = await DropIndexesAsync(connection, transaction, table, cancellationToken);
                var foreignKeys = await DropForeignKeysAsync(connection, transaction, table, cancellationToken);
                var indexed = table == "articles" ? IndexedColumns.Select(name => IndexOf(columns, name)).ToArray() : [];
                var copyColumns = string.Join(", ", columns.Concat(indexed.Length > 0 ? ["title_index", "summary_index", "text_index"] : []));
                long row = 0;
                await using (var writer = await connection.BeginBinaryImportAsync($"COPY {into} ({copyColumns}) FROM STDIN (FORMAT BINARY)", cancellationToken))
                {
                    await foreach (var values in source.RowsAsync(table, columns, cancellationToken))
                    {
                        await writer.StartRowAsync(cancellationToken);
                        for (var i = 0; i < values.Length; i++)
                        {
                            await WriteAsync(writer, values[i], types[i], cancellationToken);
                        }

                        foreach (var column in indexed)
                        {
                            await writer.WriteAsync(PgTextSearch.Indexed(column < 0 ? null : values[column] as string), NpgsqlDbType.Text, cancellationToken);
                        }

                        if (row % every == 0 || row == count - 1)
                        {
                            sample.Add(values);
                        }

                        row++;
                    }

                    await writer.CompleteAsync(cancellationToken);
                }

                if (table == "articles")
                {
                    // term_counts (counts and newest holders) is filled once from all the vectors
                    // (newsbot_recount_terms) rather than by the insert trigger: the same rows, without carrying every
                    // row through a transition table. An empty target can still hold counts with their unfolded
                    // opposite changes (articles stored and deleted before the copy): the recount replaces both, under
                    // the fold lock, so the filled counts are the whole truth and no stale change is folded into them later.
                    var names = string.Join(", ", columns);
                    await connection.ExecuteAsync(transaction,
                        $"""
                        ALTER TABLE articles DISABLE TRIGGER term_counts_insert;
                        INSERT INTO articles ({names}, search) SELECT {names}, {PgTextSearch.Vector("title_index", "summary_index", "text_index")} FROM newsbot_copy_articles;
                        ALTER TABLE articles ENABLE TRIGGER term_counts_insert;
                        SELECT pg_advisory_xact_lock({PgTermCountFolder.FoldLock});
                        SELECT newsbot_recount_terms();
                        """,
                        cancellationToken);
                }

                foreach (var definition in indexes.Concat(foreignKeys))
                {
                    await connection.ExecuteAsync(transaction, definition, cancellationToken);
                }

                var copied = await connection.ScalarAsync<long>(transaction, $"SELECT count(*) FROM {table}", cancellationToken);
                var done = new TableCopy(table, row, copied);
                tables.Add(done);
                samples[table] = (columns, sample);
                progress?.Report(done);
            }

            await ContinueSequencesAsync(connection, transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        // Fresh statistics: the planner otherwise takes the bulk-filled tables for empty ones until autovacuum comes by.
        await connection.ExecuteAsync(null, "ANALYZE", cancellationToken);
        var differences = new List<string>();
        var sampled = 0;
        foreach (var (table, (columns, rows)) in samples)
        {
            sampled += rows.Count;
            differences.AddRange(await CompareAsync(connection, table, columns, rows, cancellationToken));
        }

        return new DatabaseCopyReport(connections.Location, tables, sampled, differences, time.GetElapsedTime(started));
    }

    private async Task RefuseNonEmptyAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var filled = new List<string>();
        foreach (var table in DatabaseCopy.Tables)
        {
            if (await connection.ScalarAsync<bool>(transaction, $"SELECT EXISTS (SELECT 1 FROM {table})", cancellationToken))
            {
                filled.Add($"{table}: {await connection.ScalarAsync<long>(transaction, $"SELECT count(*) FROM {table}", cancellationToken)} rows");
            }
        }

        if (filled.Count > 0)
        {
            throw new DatabaseCopyRefusedException(
                $"the target {connections.Location} is not empty ({string.Join(", ", filled)}); db copy fills a new, empty database only, so nothing " +
                "was copied. Create one (createdb newsbot) and point --to at it.");
        }
    }

    /// <summary>
    /// Drops the table's plain indexes (not those of its keys, which the copy's own checks need) and returns their
    /// definitions: building an index once over all rows is much faster than growing it row by row.
    /// </summary>
    private static async Task<List<string>> DropIndexesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var indexes = await connection.QueryAsync(transaction,
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
            WHERE i.indrelid = @table::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            r => (Name: r.GetString(0), Definition: r.GetString(1)), cancellationToken, ("table", table));
        foreach (var (name, _) in indexes)
        {
            await connection.ExecuteAsync(transaction, $"DROP INDEX {name}", cancellationToken);
        }

        return indexes.Select(index => index.Definition).ToList();
    }

    /// <summary>
    /// Drops the table's foreign keys and returns the statements that add them back: checked once over all rows (one
    /// join) instead of row by row, which took most of the 35 s each that the million-article archive's keys and topics
    /// took to copy. A row without its parent still fails the copy, when its key is added back.
    /// </summary>
    private static async Task<List<string>> DropForeignKeysAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken)
    {
        var keys = await connection.QueryAsync(transaction,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = @table::regclass AND contype = 'f'",
            r => (Name: r.GetString(0), Definition: r.GetString(1)), cancellationToken, ("table", table));
        foreach (var (name, _) in keys)
        {
            await connection.ExecuteAsync(transaction, $"ALTER TABLE {table} DROP CONSTRAINT \"{name}\"", cancellationToken);
        }

        return keys.Select(key => $"ALTER TABLE {table} ADD CONSTRAINT \"{key.Name}\" {key.Definition}").ToList();
    }

    /// <summary>Each column's type name (bigint, text, boolean, double precision, tsvector) in the target table.</summary>
    private static async Task<Dictionary<string, string>> ColumnTypesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string table, CancellationToken cancellationToken) =>
        (await connection.QueryAsync(transaction,
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table",
            r => (Name: r.GetString(0), Type: r.GetString(1)), cancellationToken, ("table", table)))
        .ToDictionary(c => c.Name, c => c.Type, StringComparer.Ordinal);

    private static int IndexOf(IReadOnlyList<string> columns, string name)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == name)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A source value (integer, real, text or null) as the target column's type: SQLite's 0/1 become booleans.</summary>
    private static Task WriteAsync(NpgsqlBinaryImporter writer, object? value, string type, CancellationToken cancellationToken) => value switch
    {
        null or DBNull => writer.WriteNullAsync(cancellationToken),
        _ => type switch
        {
            "bigint" => writer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture), NpgsqlDbType.Bigint, cancellationToken),
            "boolean" => writer.WriteAsync(Convert.ToInt64(value, CultureInfo.InvariantCulture) != 0, NpgsqlDbType.Boolean, cancellationToken),
            "double precision" => writer.WriteAsync(Convert.ToDouble(value, CultureInfo.InvariantCulture), NpgsqlDbType.Double, cancellationToken),
            "text" => writer.WriteAsync(Convert.ToString(value, CultureInfo.InvariantCulture)!, NpgsqlDbType.Text, cancellationToken),
            _ => throw new UnreachableException($"no copy rule for a column of type {type}"),
        },
    };

    private static async Task ContinueSequencesAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        var sequences = await connection.QueryAsync(transaction,
            """
            SELECT table_name, pg_get_serial_sequence(table_name, 'id') FROM information_schema.columns
            WHERE table_schema = current_schema() AND column_name = 'id' AND table_name = ANY(@tables) AND is_identity = 'YES'
            """,
            r => (Table: r.GetString(0), Sequence: r.GetString(1)), cancellationToken, ("tables", DatabaseCopy.Tables.ToArray()));
        foreach (var (table, sequence) in sequences)
        {
            await connection.ExecuteAsync(transaction,
                $"SELECT setval(@sequence, COALESCE((SELECT max(id) FROM {table}), 1), (SELECT max(id) FROM {table}) IS NOT NULL)",
                cancellationToken, ("sequence", sequence));
        }
    }

    /// <summary>The sampled source rows read back from the target by primary key, compared field by field.</summary>
    private static async Task<List<string>> CompareAsync(NpgsqlConnection connection, string table, IReadOnlyList<string> columns, List<object?[]> rows, CancellationToken cancellationToken)
    {
        var keys = await connection.QueryAsync(null,
            """
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = @table::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)
            """,
            r => r.GetString(0), cancellationToken, ("table", table));
        var keyIndexes = keys.Select(key => IndexOf(columns, key)).ToArray();
        var where = string.Join(" AND ", keys.Select((key, i) => $"{key} = @k{i}"));
        var differences = new List<string>();
        foreach (var row in rows)
        {
            var keyText = string.Join(", ", keys.Select((key, i) => $"{key} {row[keyIndexes[i]]}"));
            var found = await connection.QueryAsync(null, $"SELECT {string.Join(", ", columns)} FROM {table} WHERE {where}",
                r => Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? null : r.GetValue(i)).ToArray(),
                cancellationToken, [.. keyIndexes.Select((column, i) => ($"k{i}", row[column]))]);
            if (found.Count != 1)
            {
                differences.Add($"{table} ({keyText}): missing in the target");
                continue;
            }

            for (var i = 0; i < columns.Count; i++)
            {
                if (!Equal(row[i], found[0][i]))
                {
                    differences.Add($"{table} ({keyText}).{columns[i]}: '{row[i]}' became '{found[0][i]}'");
                }
            }
        }

        return differences;
    }

    /// <summary>Equal as stored data: a boolean equals the integer SQLite keeps it as, numbers compare as numbers.</summary>
    private static bool Equal(object? source, object? target) => (source, target) switch
    {
        (null or DBNull, null) => true,
        (null or DBNull, _) or (_, null) => false,
        (_, bool flag) => Convert.ToInt64(source, CultureInfo.InvariantCulture) != 0 == flag,
        (_, long number) => Convert.ToInt64(source, CultureInfo.InvariantCulture) == number,
        (_, double real) => Convert.ToDouble(source, CultureInfo.InvariantCulture).Equals(real),
        _ => string.Equals(Convert.ToString(source, CultureInfo.InvariantCulture), Convert.ToString(target, CultureInfo.InvariantCulture), StringComparison.Ordinal),
    };
}
