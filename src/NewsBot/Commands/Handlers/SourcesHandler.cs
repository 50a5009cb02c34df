using System.Globalization;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class SourcesHandler(ISourceStore sources) : ICommandHandler
{
    public string Name => "sources";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var all = await sources.ListAsync(cancellationToken);
        if (all.Count == 0)
        {
            return CommandReply.Text(texts["Sources.None"]);
        }

        var lines = all.Select(s => new ReplyLine(
            $"{s.Id.ToString(CultureInfo.InvariantCulture)}. {s.DisplayName}",
            s.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? s.Url : null,
            s.Paused ? texts["Status.Paused"] : s.DisabledReason is not null ? texts.Format("Status.Disabled", s.DisabledReason) : s.LastError is not null ? texts.Format("Status.Failing", s.LastError) : null)).ToList();
        return new CommandReply([new ReplyHeading(texts.Format("Sources.Heading", all.Count)), new ReplyList(lines)]);
    }
}
