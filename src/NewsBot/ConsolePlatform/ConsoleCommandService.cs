using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Commands;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.ConsolePlatform;

/// <summary>
/// The console channel: subscribed to the configured sources, and each line typed on stdin runs a command through
/// the same router the chat platforms use. When stdin closes (not a terminal, piped, EOF) the bot keeps running.
/// </summary>
public sealed partial class ConsoleCommandService(
    CommandRouter router,
    ConsolePublisher publisher,
    ConsoleIO io,
    IChannelStore channels,
    ISourceStore sources,
    ISubscriptionStore subscriptions,
    IArticleStore articles,
    IDeliveryPlanner planner,
    DeliverySignal deliverySignal,
    PollSignal pollSignal,
    TimeProvider time,
    IOptions<FeedsOptions> feedOptions,
    ILogger<ConsoleCommandService> logger) : BackgroundService
{
    public const string ChannelId = "console";

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscriptions first, so the first poll already has a channel to post to.
        var channel = await channels.GetOrAddAsync(Platform.Console, ChannelId, null, "console", null, cancellationToken);
        foreach (var configured in feedOptions.Value.Sources)
        {
            var source = await sources.GetByUrlAsync(configured.Url, cancellationToken);
            var existing = await subscriptions.ListForChannelAsync(channel.Id, cancellationToken);
            if (source is null || existing.Any(s => s.SourceId == source.Id))
            {
                continue;
            }

            var (subscription, _) = await subscriptions.UpsertAsync(new Subscription { ChannelId = channel.Id, Target = SubscriptionTarget.Source, SourceId = source.Id }, cancellationToken);
            if (await articles.BackfillAsync(subscription, feedOptions.Value.BackfillCount, planner, cancellationToken) > 0)
            {
                deliverySignal.Notify();
            }
        }

        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Reading stdin blocks a thread; keep it off the host's start-up path. Commands typed (or piped) at once
        // are answered after the first round of polls, so "/latest" right after start shows the news.
        await Task.Yield();
        await pollSignal.FirstRound.WaitAsync(TimeSpan.FromSeconds(15), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        while (!stoppingToken.IsCancellationRequested)
        {
            var line = await io.In.ReadLineAsync(stoppingToken);
            if (line is null)
            {
                LogInputClosed(logger);
                return;
            }

            if (ParseLine(line) is not { } request)
            {
                continue;
            }

            var reply = await router.RouteAsync(request, stoppingToken);
            publisher.WriteReply(ConsoleRenderer.RenderReply(reply));
        }
    }

    /// <summary>"/latest 3" → a command request from the console's owner (an admin of their own console).</summary>
    public static CommandRequest? ParseLine(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length < 2 || trimmed[0] != '/')
        {
            return null;
        }

        var space = trimmed.IndexOf(' ');
        var name = space < 0 ? trimmed[1..] : trimmed[1..space];
        var arguments = space < 0 ? "" : trimmed[(space + 1)..];
        return new CommandRequest(name, new ChannelRef(Platform.Console, ChannelId, Name: "console"), "operator", IsPlatformAdmin: true) { ArgumentText = arguments };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Console input closed; NewsBot keeps running and posting. Press Ctrl+C to stop.")]
    private static partial void LogInputClosed(ILogger logger);
}
