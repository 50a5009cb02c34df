using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace NewsBot.Storage.Postgres;

/// <summary>
/// Folds the pending term count changes into term_counts every <see cref="Interval"/> (<see cref="PgTermCountFolder"/>).
/// Every process runs it; whichever gets the fold lock folds, so the counts keep being folded while any process runs.
/// </summary>
internal sealed partial class TermCountFoldService(PgTermCountFolder folder, TimeProvider time, ILogger<TermCountFoldService> logger) : BackgroundService
{
    /// <summary>
    /// Counts are exact whether folded or not; the interval only bounds what a reader adds up. Ingest appends one
    /// change row per word per article, so a common word (and the empty word, the archive's size) has as many pending
    /// rows as articles were stored in the last interval. In the 10,000-source load run (230 articles/s) a 5 s interval
    /// left about 1,150 of them, and reading them cost 3.7 ms per /related word-count lookup and 4.9 ms per archive size
    /// on the server, which was more than the folds themselves (0.66 s per 5 s); every second keeps pending rows a fifth
    /// as many for the same folding work. A fold with nothing to do is one small query.
    /// </summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private PeriodicTimer? _timer;

    /// <summary>Starts the interval at start-up itself: ExecuteAsync may begin later, on a thread of its own.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _timer = new PeriodicTimer(Interval, time);
        return base.StartAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _timer?.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var timer = _timer ?? throw new InvalidOperationException("ExecuteAsync runs only after StartAsync");
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FoldAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: whatever is pending stays exact for readers and is folded by the next process to run.
        }
    }

    private async Task FoldAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (await folder.FoldAsync(stoppingToken) is long folded and > 0)
            {
                LogFolded(logger, folded);
            }
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            // The changes stay pending (the fold is one transaction) and the next round tries again.
            LogFoldFailed(logger, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Folded {Changes} term count changes into term_counts")]
    private static partial void LogFolded(ILogger logger, long changes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Folding term count changes failed; they stay pending and the next round tries again")]
    private static partial void LogFoldFailed(ILogger logger, Exception exception);
}
