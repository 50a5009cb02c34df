using System.Globalization;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class SubscriptionsHandler(ISubscriptionStore subscriptions, ISourceStore sources) : ICommandHandler
{
    public string Name => "subscriptions";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var list = await subscriptions.ListForChannelAsync(context.Channel.Id, cancellationToken);
        if (list.Count == 0)
        {
            return CommandReply.Text(texts.Format("Subscriptions.None", ChannelOption.Describe(context)));
        }

        var lines = new List<ReplyLine>();
        foreach (var s in list)
        {
            var what = s.Target switch
            {
                SubscriptionTarget.Source => (await sources.GetAsync(s.SourceId!.Value, cancellationToken))?.DisplayName ?? texts.Format("Subscriptions.SourceId", s.SourceId),
                SubscriptionTarget.Topic => $"topic:{s.TopicKey}",
                _ => "all",
            };
            var details = new List<string>();
            if (s.Include.Count > 0)
            {
                details.Add(texts.Format("Subscriptions.Only", string.Join(", ", s.Include)));
            }

            if (s.Exclude.Count > 0)
            {
                details.Add(texts.Format("Subscriptions.Not", string.Join(", ", s.Exclude)));
            }

            details.Add(s.Format.ToString().ToLowerInvariant());
            if (s.Digest != DigestMode.Off)
            {
                details.Add(texts.Format("Subscriptions.Digest", s.Digest.ToString().ToLowerInvariant()));
            }

            if (s.SummaryLanguage is { } summaryLanguage)
            {
                details.Add(texts.Format("Subscriptions.SummaryLanguage", CultureInfo.GetCultureInfo(summaryLanguage).NativeName));
            }

            if (s.Paused)
            {
                details.Add(texts.Format("Subscriptions.Paused", s.PausedReason));
            }

            lines.Add(new ReplyLine(what, Detail: string.Join("; ", details)));
        }

        var channel = context.Channel;
        var quiet = channel.QuietStart is { } start && channel.QuietEnd is { } end ? texts.Format("Subscriptions.Quiet", SettingsHandler.Clock(start), SettingsHandler.Clock(end), channel.TimeZone) : "";
        return new CommandReply([
            new ReplyHeading(texts.Format("Subscriptions.Heading", ChannelOption.Describe(context))),
            new ReplyList(lines),
            new ReplyParagraph(texts.Format("Subscriptions.Limit", channel.MaxPostsPerHour, quiet)),
        ]);
    }
}
