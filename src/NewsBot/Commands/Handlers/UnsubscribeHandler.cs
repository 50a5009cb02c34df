using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class UnsubscribeHandler(SubscriptionTargets targets, ISubscriptionStore subscriptions) : ICommandHandler
{
    public string Name => "unsubscribe";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var (target, label, error) = await targets.ParseAsync(context.Channel.Id, context.String("target")!, cancellationToken);
        if (target is null)
        {
            return CommandReply.Error(error!);
        }

        return await subscriptions.RemoveAsync(context.Channel.Id, target.TargetKey, cancellationToken)
            ? CommandReply.Text($"{ChannelOption.Describe(context)} no longer receives {label}.") with { Private = true }
            : CommandReply.Error($"{ChannelOption.Describe(context)} was not subscribed to {label}. See what it receives with /subscriptions{ChannelOption.Typed(context)}.");
    }
}
