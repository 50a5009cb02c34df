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
    /// Counts are exact whether folded or not; the interval only bounds what a reader adds up. Ingest appends at most
    /// one change row per word per article, so a word has at most as many pending rows as articles were stored in the
    /// last interval (about 500 in 5 s at 100 articles/s: one short index range per lookup, and a fold of a fraction of
    /// a second), while a fold with nothing to do, one small query every 5 s, costs nothing.
    /// </summary>
    internal static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

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
