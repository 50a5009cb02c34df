namespace NewsBot.Commands.Handlers;

public sealed class HelpHandler(CommandCatalogue catalogue) : ICommandHandler
{
    public string Name => "help";

    public Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var texts = context.Texts;
        var visible = catalogue.All.Where(c => !c.AdminOnly || context.IsAdmin).ToList();
        var blocks = new List<ReplyBlock>
        {
            new ReplyHeading(texts["Help.Heading"]),
            new ReplyList(visible.Where(c => !c.AdminOnly).Select(c => new ReplyLine(c.Usage, Detail: texts.Describe(c))).ToList()),
        };
        if (visible.Any(c => c.AdminOnly))
        {
            blocks.Add(new ReplyHeading(texts["Help.ForAdmins"]));
            blocks.Add(new ReplyList(visible.Where(c => c.AdminOnly).Select(c => new ReplyLine(c.Usage, Detail: texts.Describe(c))).ToList()));
        }

        blocks.Add(new ReplyParagraph(texts["Help.ShortIds"]));
        return Task.FromResult(new CommandReply(blocks));
    }
}
