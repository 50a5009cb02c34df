using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using NewsBot.Cli;
using NewsBot.Hosting;

namespace NewsBot.Tests.Hosting;

/// <summary>The first Ctrl+C stops the host (measured on the real process in ProcessTests); a second one exits at once.</summary>
public sealed class InterruptHandlerTests
{
    [Fact]
    public void Interrupt_First_StopsTheHostAndKeepsTheProcess_Second_ExitsAt130()
    {
        var lifetime = new RecordingLifetime();
        var exits = new List<int>();
        var handler = new InterruptHandler(lifetime, NullLogger<InterruptHandler>.Instance) { Exit = exits.Add };

        var first = new PosixSignalContext(PosixSignal.SIGINT);
        handler.OnInterrupt(first);

        Assert.True(first.Cancel);
        Assert.Equal(1, lifetime.StopRequests);
        Assert.Empty(exits);

        handler.OnInterrupt(new PosixSignalContext(PosixSignal.SIGINT));

        Assert.Equal([ExitCodes.Interrupted], exits);
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public int StopRequests { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => StopRequests++;
    }
}
