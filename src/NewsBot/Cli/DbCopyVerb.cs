using Microsoft.Extensions.Logging;
using NewsBot.Storage;

namespace NewsBot.Cli;

/// <summary>
/// <c>newsbot db copy --to CONNECTION</c>: moves the configured SQLite database into an empty PostgreSQL one
/// (<see cref="DatabaseCopy"/>), printing each table's counts as it goes and the verification at the end. The target
/// is only ever printed without its password.
/// </summary>
public sealed class DbCopyVerb(IStorageMaintenance database, IEnumerable<IDatabaseExport> exports, TimeProvider time, ILoggerFactory loggers)
{
    public const string Usage = "db copy --to \"Host=…;Database=…;Username=…\"";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        if (args is not ["copy", "--to", { Length: > 0 } target])
        {
            await Console.Error.WriteLineAsync($"usage: newsbot {Usage}   (the password from PGPASSWORD or in the string)");
            return ExitCodes.Usage;
        }

        if (exports.FirstOrDefault() is not { } source)
        {
            await Console.Error.WriteLineAsync(
                $"db copy moves a SQLite database to PostgreSQL, but {DatabaseOptions.ProviderSetting} is already postgres here; " +
                "to copy one PostgreSQL database to another use pg_dump and pg_restore.");
            return ExitCodes.Usage;
        }

        if (await MissingDatabase.ReportAsync(database))
        {
            return ExitCodes.Database;
        }

        await database.MigrateAsync(cancellationToken);
        DatabaseCopyReport report;
        try
        {
            await output.WriteLineAsync($"Copying {source.Location} (SQLite) into PostgreSQL, in one transaction:");
            report = await DatabaseCopy.ToPostgresAsync(source, target, time, loggers, new SynchronousProgress(output), cancellationToken);
        }
        catch (DatabaseCopyRefusedException ex)
        {
            await Console.Error.WriteLineAsync($"Copy refused: {ex.Message}");
            return ExitCodes.Database;
        }
        catch (Exception ex) when (DatabaseCopy.FailureReason(ex) is { } reason)
        {
            await Console.Error.WriteLineAsync($"Copy error: --to {DatabaseCopy.SafeLocation(target)}: {reason}; nothing was copied.");
            return ExitCodes.Database;
        }

        await output.WriteLineAsync($"Copied into {report.Target} in {report.Elapsed.TotalSeconds:N1} s.");
        await output.WriteLineAsync($"  {"table",-15} {"SQLite",12} {"PostgreSQL",12}");
        foreach (var table in report.Tables)
        {
            await output.WriteLineAsync($"  {table.Table,-15} {table.SourceRows,12:N0} {table.TargetRows,12:N0}{(table.SourceRows == table.TargetRows ? "" : "   DIFFERENT")}");
        }

        foreach (var difference in report.Differences)
        {
            await output.WriteLineAsync($"  different: {difference}");
        }

        if (!report.Verified)
        {
            await Console.Error.WriteLineAsync($"Copy error: the copy in {report.Target} does not match the source (above); do not switch to it.");
            return ExitCodes.Database;
        }

        await output.WriteLineAsync($"Verified: every table's count is equal and {report.SampledRows:N0} sampled rows are equal field by field.");
        await output.WriteLineAsync("Run the bot on it (the SQLite file stays as it was):");
        await output.WriteLineAsync("  export NewsBot__Database__Provider=postgres");
        await output.WriteLineAsync($"  export NewsBot__Database__ConnectionString=\"{report.Target}\"");
        return ExitCodes.Ok;
    }

    /// <summary>Writes each table's line as soon as it is done (Progress&lt;T&gt; would post it to the thread pool, out of order).</summary>
    private sealed class SynchronousProgress(TextWriter output) : IProgress<TableCopy>
    {
        public void Report(TableCopy value) => output.WriteLine($"  {value.Table,-15} {value.SourceRows,12:N0} rows");
    }
}
