using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NewsBot.Cli;

namespace NewsBot.Hosting;

/// <summary>
/// Ctrl+C in a terminal: the first one says so and stops the host (every loop ends on its cancellation token,
/// so this takes well under 2 s); a second one, for the impatient or a stuck stop, ends the process at once.
/// </summary>
public sealed partial class InterruptHandler(IHostApplicationLifetime lifetime, ILogger<InterruptHandler> logger) : IHostedService, IDisposable
{
    private PosixSignalRegistration? _registration;
    private int _interrupts;

    /// <summary>Ends the process; tests watch it instead.</summary>
    internal Action<int> Exit { get; init; } = Environment.Exit;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnInterrupt);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _registration?.Dispose();

    internal void OnInterrupt(PosixSignalContext context)
    {
        // The host's own console lifetime also stops on SIGINT; cancelling the default action keeps the process
        // alive until the stop has finished.
        context.Cancel = true;
        if (Interlocked.Increment(ref _interrupts) == 1)
        {
            LogStopping(logger);
            lifetime.StopApplication();
            return;
        }

        Console.Error.WriteLine("Second Ctrl+C: NewsBot stops now.");
        Exit(ExitCodes.Interrupted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ctrl+C: NewsBot is stopping (press Ctrl+C again to stop at once).")]
    private static partial void LogStopping(ILogger logger);
}
