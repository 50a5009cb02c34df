namespace NewsBot.Commands.Handlers;

public sealed class HelpHandler(CommandCatalogue catalogue) : ICommandHandler
{
    public string Name => "help";

    public Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var visible = catalogue.All.Where(c => !c.AdminOnly || context.IsAdmin).ToList();
        var blocks = new List<ReplyBlock>
        {
            new ReplyHeading("NewsBot commands"),
            new ReplyList(visible.Where(c => !c.AdminOnly).Select(c => new ReplyLine(c.Usage, Detail: c.Description)).ToList()),
        };
        if (visible.Any(c => c.AdminOnly))
        {
            blocks.Add(new ReplyHeading("For admins"));
            blocks.Add(new ReplyList(visible.Where(c => c.AdminOnly).Select(c => new ReplyLine(c.Usage, Detail: c.Description)).ToList()));
        }

        blocks.Add(new ReplyParagraph("Articles have short ids, shown in each post; read one with /summary <id>."));
        return Task.FromResult(new CommandReply(blocks));
    }
}
