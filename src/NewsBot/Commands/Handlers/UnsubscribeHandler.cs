using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class UnsubscribeHandler(SubscriptionTargets targets, ISubscriptionStore subscriptions) : ICommandHandler
{
    public string Name => "unsubscribe";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (target, label, error) = await targets.ParseAsync(context.Channel.Id, context.String("target")!, context.Texts, cancellationToken);
        if (target is null)
        {
            return CommandReply.Error(error!);
        }

        return await subscriptions.RemoveAsync(context.Channel.Id, target.TargetKey, cancellationToken)
            ? CommandReply.Text(context.Texts.Format("Unsubscribe.Done", ChannelOption.Describe(context), label)) with { Private = true }
            : CommandReply.Error(context.Texts.Format("Unsubscribe.NotSubscribed", ChannelOption.Describe(context), label, ChannelOption.Typed(context)));
    }
}
