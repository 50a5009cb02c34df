using System.Globalization;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class StatusHandler(
    ISourceStore sources,
    IDeliveryStore deliveries,
    IArticleStore articles,
    ISubscriptionStore subscriptions,
    PostTemplateRenderer templates,
    TimeProvider time) : ICommandHandler
{
    public string Name => "status";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var all = await sources.ListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var healthy = all.Count(s => !s.Paused && s.DisabledReason is null && s.LastError is null);
        var lines = all.Select(s => new ReplyLine(
            s.DisplayName,
            Detail: s.Paused ? "paused"
                : s.DisabledReason is not null ? $"disabled: {s.DisabledReason}"
                : $"{(s.LastError is null ? "ok" : $"failing ({s.ConsecutiveFailures}x): {s.LastError}")}; last poll {Ago(s.LastPolledAt, now)}, next {Until(s.NextPollAt, now)}"))
            .ToList();
        // A template that failed at post time is reported here (not in the channel): its posts went out in the default layout.
        var failedTemplates = (await subscriptions.ListForChannelAsync(context.Channel.Id, cancellationToken))
            .Where(s => templates.Failures.ContainsKey(s.Id))
            .Select(s => new ReplyLine($"Template of the subscription to {Typed(s)} failed", Detail: $"{templates.Failures[s.Id]}; posts use the default layout until /subscribe sets a new template"))
            .ToList();
        return new CommandReply([
            new ReplyHeading("Status"),
            new ReplyParagraph($"{healthy} of {all.Count} sources healthy · {await articles.CountAsync(cancellationToken)} articles stored · {await deliveries.CountPendingAsync(cancellationToken)} deliveries pending"),
            new ReplyList([.. failedTemplates, .. lines]),
        ]);
    }

    /// <summary>The subscription's target as /subscribe takes it.</summary>
    private static string Typed(Subscription subscription) => subscription.Target switch
    {
        SubscriptionTarget.Source => subscription.SourceId?.ToString(CultureInfo.InvariantCulture) ?? "?",
        SubscriptionTarget.Topic => "topic:" + subscription.TopicKey,
        _ => "all",
    };

    private static string Ago(DateTimeOffset? then, DateTimeOffset now) => then is { } t ? Span(now - t) + " ago" : "never";

    private static string Until(DateTimeOffset then, DateTimeOffset now) => then <= now ? "now" : "in " + Span(then - now);

    private static string Span(TimeSpan span) => span.TotalMinutes < 1 ? $"{Math.Max(0, (int)span.TotalSeconds)} s"
        : span.TotalHours < 1 ? $"{(int)span.TotalMinutes} min"
        : span.TotalDays < 1 ? $"{span.TotalHours.ToString("0.#", CultureInfo.InvariantCulture)} h"
        : $"{span.TotalDays.ToString("0.#", CultureInfo.InvariantCulture)} d";
}
