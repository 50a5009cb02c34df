using System.Globalization;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Runtime;
using NewsBot.Storage;
using NewsBot.Localization;

namespace NewsBot.Commands.Handlers;

public sealed class StatusHandler(
    ISourceStore sources,
    IDeliveryStore deliveries,
    IArticleStore articles,
    ISubscriptionStore subscriptions,
    PostTemplateRenderer templates,
    IClusterMembership membership,
    ProcessIdentity self,
    IOptions<ClusterOptions> cluster,
    TimeProvider time) : ICommandHandler
{
    public string Name => "status";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var all = await sources.ListAsync(cancellationToken);
        var now = time.GetUtcNow();
        var healthy = all.Count(s => !s.Paused && s.DisabledReason is null && s.LastError is null);
        var lines = all.Select(s => new ReplyLine(
            s.DisplayName,
            Detail: s.Paused ? texts["Status.Paused"]
                : s.DisabledReason is not null ? texts.Format("Status.Disabled", s.DisabledReason)
                : texts.Format("Status.Polls", s.LastError is null ? texts["Status.Ok"] : texts.Format("Status.FailingCount", s.ConsecutiveFailures, s.LastError), Ago(s.LastPolledAt, now, texts), Until(s.NextPollAt, now, texts))))
            .ToList();
        // A template that failed at post time is reported here (not in the channel): its posts went out in the default layout.
        var failedTemplates = (await subscriptions.ListForChannelAsync(context.Channel.Id, cancellationToken))
            .Where(s => templates.Failures.ContainsKey(s.Id))
            .Select(s => new ReplyLine(texts.Format("Status.TemplateFailed", Typed(s)), Detail: texts.Format("Status.TemplateFailedDetail", templates.Failures[s.Id])))
            .ToList();
        return new CommandReply([
            new ReplyHeading(texts["Status.Heading"]),
            new ReplyParagraph(texts.Format("Status.Summary", healthy, all.Count, await articles.CountAsync(cancellationToken), await deliveries.CountPendingAsync(cancellationToken))),
            .. cluster.Value.Enabled ? await ProcessesAsync(texts, now, cancellationToken) : [],
            new ReplyList([.. failedTemplates, .. lines]),
        ]);
    }

    /// <summary>In a cluster: every live process of the bot, what it holds, and which one is answering.</summary>
    private async Task<ReplyBlock[]> ProcessesAsync(Texts texts, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var members = await membership.ListLiveAsync(cancellationToken);
        return [
            new ReplyParagraph(texts.Format("Status.Processes", members.Count)),
            new ReplyList([.. members.Select(m => new ReplyLine(
                m.Id == self.Id ? texts.Format("Status.ThisProcess", m.Id) : m.Id,
                Detail: texts.Format("Status.ProcessDetail", m.Version, Ago(m.StartedAt, now, texts), Ago(m.HeartbeatAt, now, texts),
                    m.Holds.Count == 0 ? texts["Status.HoldsNothing"] : string.Join("; ", m.Holds))))]),
        ];
    }

    /// <summary>The subscription's target as /subscribe takes it.</summary>
    private static string Typed(Subscription subscription) => subscription.Target switch
    {
        SubscriptionTarget.Source => subscription.SourceId?.ToString(CultureInfo.InvariantCulture) ?? "?",
        SubscriptionTarget.Topic => "topic:" + subscription.TopicKey,
        _ => "all",
    };

    private static string Ago(DateTimeOffset? then, DateTimeOffset now, Texts texts) => then is { } t ? texts.Format("Time.Ago", Span(now - t, texts)) : texts["Time.Never"];

    private static string Until(DateTimeOffset then, DateTimeOffset now, Texts texts) => then <= now ? texts["Time.Now"] : texts.Format("Time.In", Span(then - now, texts));

    private static string Span(TimeSpan span, Texts texts) => span.TotalMinutes < 1 ? texts.Format("Time.Seconds", Math.Max(0, (int)span.TotalSeconds))
        : span.TotalHours < 1 ? texts.Format("Time.Minutes", (int)span.TotalMinutes)
        : span.TotalDays < 1 ? texts.Format("Time.Hours", span.TotalHours)
        : texts.Format("Time.Days", span.TotalDays);
}
