using System.Globalization;
using NewsBot.Storage;

namespace NewsBot.Commands.Handlers;

public sealed class SourcesHandler(ISourceStore sources) : ICommandHandler
{
    public string Name => "sources";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var all = await sources.ListAsync(cancellationToken);
        if (all.Count == 0)
        {
            return CommandReply.Text("No sources yet. Admins add one with /source add <url>.");
        }

        var lines = all.Select(s => new ReplyLine(
            $"{s.Id.ToString(CultureInfo.InvariantCulture)}. {s.DisplayName}",
            s.Url.StartsWith("http", StringComparison.OrdinalIgnoreCase) ? s.Url : null,
            s.Paused ? "paused" : s.DisabledReason is not null ? $"disabled: {s.DisabledReason}" : s.LastError is not null ? $"failing: {s.LastError}" : null)).ToList();
        return new CommandReply([new ReplyHeading($"Sources ({all.Count})"), new ReplyList(lines)]);
    }
}
