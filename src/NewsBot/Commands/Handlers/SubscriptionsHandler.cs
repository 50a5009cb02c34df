using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class SubscriptionsHandler(ISubscriptionStore subscriptions, ISourceStore sources) : ICommandHandler
{
    public string Name => "subscriptions";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var list = await subscriptions.ListForChannelAsync(context.Channel.Id, cancellationToken);
        if (list.Count == 0)
        {
            return CommandReply.Text($"{ChannelOption.Describe(context)} receives nothing yet. Admins: /subscribe <source|topic:name|all>.");
        }

        var lines = new List<ReplyLine>();
        foreach (var s in list)
        {
            var what = s.Target switch
            {
                SubscriptionTarget.Source => (await sources.GetAsync(s.SourceId!.Value, cancellationToken))?.DisplayName ?? $"source {s.SourceId}",
                SubscriptionTarget.Topic => $"topic:{s.TopicKey}",
                _ => "all",
            };
            var details = new List<string>();
            if (s.Include.Count > 0)
            {
                details.Add("only " + string.Join(", ", s.Include));
            }

            if (s.Exclude.Count > 0)
            {
                details.Add("not " + string.Join(", ", s.Exclude));
            }

            details.Add(s.Format.ToString().ToLowerInvariant());
            if (s.Digest != DigestMode.Off)
            {
                details.Add(s.Digest.ToString().ToLowerInvariant() + " digest");
            }

            if (s.Paused)
            {
                details.Add("paused: " + s.PausedReason);
            }

            lines.Add(new ReplyLine(what, Detail: string.Join("; ", details)));
        }

        var channel = context.Channel;
        var quiet = channel.QuietStart is { } start && channel.QuietEnd is { } end ? $", quiet {start:HH\\:mm}-{end:HH\\:mm} {channel.TimeZone}" : "";
        return new CommandReply([
            new ReplyHeading($"{ChannelOption.Describe(context)} receives"),
            new ReplyList(lines),
            new ReplyParagraph($"At most {channel.MaxPostsPerHour} posts an hour{quiet}."),
        ]);
    }
}
