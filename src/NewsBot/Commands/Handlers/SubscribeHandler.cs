using Microsoft.Extensions.Options;
using NewsBot.Feeds;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class SubscribeHandler(
    SubscriptionTargets targets,
    ISubscriptionStore subscriptions,
    IArticleStore articles,
    IDeliveryPlanner planner,
    DeliverySignal deliverySignal,
    IOptions<FeedsOptions> feedOptions) : ICommandHandler
{
    public string Name => "subscribe";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (target, label, error) = await targets.ParseAsync(context.Channel.Id, context.String("target")!, cancellationToken);
        if (target is null)
        {
            return CommandReply.Error(error!);
        }

        var include = Filters(context.String("include"));
        var exclude = Filters(context.String("exclude"));
        if (include.Concat(exclude).Select(SubscriptionMatcher.Validate).FirstOrDefault(e => e is not null) is { } filterError)
        {
            return CommandReply.Error($"That filter will not work: {filterError}.");
        }

        var (subscription, created) = await subscriptions.UpsertAsync(target with
        {
            Include = include,
            Exclude = exclude,
            ShowSummary = context.Boolean("summary") ?? true,
            RelatedCount = context.Integer("related") ?? 3,
            Format = Enum.Parse<PostFormat>(context.String("format") ?? "full", ignoreCase: true),
            Digest = Enum.Parse<DigestMode>(context.String("digest") ?? "off", ignoreCase: true),
        }, cancellationToken);

        var backfilled = created ? await articles.BackfillAsync(subscription, feedOptions.Value.BackfillCount, planner, cancellationToken) : 0;
        if (backfilled > 0)
        {
            deliverySignal.Notify();
        }

        var filters = (include.Count > 0 ? $" Only with: {string.Join(", ", include)}." : "") + (exclude.Count > 0 ? $" Never with: {string.Join(", ", exclude)}." : "");
        return CommandReply.Text(created
            ? $"This channel now receives {label}.{filters}{(backfilled > 0 ? $" Posting the newest {backfilled} now." : "")}"
            : $"Updated this channel's subscription to {label}.{filters}") with { Private = true };
    }

    private static List<string> Filters(string? text) =>
        text is null ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}
