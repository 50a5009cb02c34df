using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Commands;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Runtime;
using NewsBot.Storage;

namespace NewsBot.Platforms.Console;

/// <summary>
/// The console channel: subscribed to the configured sources, and each line typed on stdin runs a command through
/// the same router the chat platforms use. When stdin closes (not a terminal, piped, EOF) the bot keeps running.
/// </summary>
public sealed partial class ConsoleCommandService(
    CommandRouter router,
    CommandCatalogue catalogue,
    ConsolePublisher publisher,
    ConsoleIO io,
    IChannelStore channels,
    ISourceStore sources,
    ISubscriptionStore subscriptions,
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
            if (await planner.BackfillAsync(subscription, feedOptions.Value.BackfillCount, cancellationToken) > 0)
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
            // Console.In reads synchronously and ignores the token: read on another thread and stop waiting when
            // the host stops, else a Ctrl+C waits for the shutdown timeout (30 s) or the next Enter.
            var line = await Task.Run(() => io.In.ReadLineAsync(stoppingToken).AsTask(), stoppingToken).WaitAsync(stoppingToken);
            if (line is null)
            {
                LogInputClosed(logger);
                return;
            }

            var (request, hint) = ParseLine(line, catalogue);
            if (request is not null)
            {
                publisher.WriteReply(ConsoleRenderer.RenderReply(await router.RouteAsync(request, stoppingToken), publisher.Compose));
            }
            else if (hint is not null)
            {
                publisher.WriteReply(ConsoleRenderer.RenderReply(CommandReply.Error(hint)));
            }
        }
    }

    /// <summary>
    /// "/latest 3", or a command name typed without its slash ("help", "latest 3"), is a command request from the
    /// console's owner (an admin of their own console); other text gets a hint, a blank line nothing.
    /// </summary>
    public static (CommandRequest? Request, string? Hint) ParseLine(string line, CommandCatalogue catalogue)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return (null, null);
        }

        var text = trimmed.StartsWith('/') ? trimmed[1..] : trimmed;
        var space = text.IndexOfAny([' ', '\t']);
        var name = space < 0 ? text : text[..space];
        if (!trimmed.StartsWith('/') && catalogue.Find(name) is null)
        {
            return (null, $"\"{Shorten(name)}\" is not a command. Commands start with a slash; see them all with /help.");
        }

        var arguments = space < 0 ? "" : text[(space + 1)..].Trim();
        return (new CommandRequest(name, new ChannelRef(Platform.Console, ChannelId, Name: "console"), "operator", IsPlatformAdmin: true) { ArgumentText = arguments }, null);
    }

    private static string Shorten(string text) => text.Length <= 30 ? text : text[..30] + "…";

    [LoggerMessage(Level = LogLevel.Information, Message = "Console input closed; NewsBot keeps running and posting. Press Ctrl+C to stop.")]
    private static partial void LogInputClosed(ILogger logger);
}
