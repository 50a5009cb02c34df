using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands;

/// <summary>
/// Runs a command from any platform: finds it in the catalogue, parses and checks its options, checks admin
/// rights (the platform's word or the configured owners — whatever the platform's own menus show), and returns
/// the handler's reply. Bad input gets a short reply saying what was expected; a handler bug gets a short apology.
/// </summary>
public sealed partial class CommandRouter(
    CommandCatalogue catalogue,
    IEnumerable<ICommandHandler> handlers,
    IChannelStore channels,
    IOptions<OwnerOptions> options,
    ILogger<CommandRouter> logger)
{
    private readonly Dictionary<string, ICommandHandler> _handlers = handlers.ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);

    public async Task<CommandReply> RouteAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        var definition = catalogue.Find(request.Name);
        if (definition is null || !_handlers.TryGetValue(definition.Name, out var handler))
        {
            return CommandReply.Error($"There is no command \"{request.Name}\". Try /help.");
        }

        var isOperator = request.Channel.Platform == Platform.Console || IsOwner(request);
        var isAdmin = request.IsPlatformAdmin || isOperator;
        if (definition.AdminOnly && !isAdmin)
        {
            return CommandReply.Error($"/{definition.Name} is for admins of this chat only.");
        }

        var parsed = request.ArgumentText is not null
            ? CommandArguments.Parse(definition, request.ArgumentText)
            : CommandArguments.Validate(definition, request.Options);
        if (parsed.Error is not null)
        {
            return CommandReply.Error(parsed.Error);
        }

        var where = request.Channel;
        if (parsed.Values.TryGetValue(ChannelOption.Name, out var picked))
        {
            var (target, error) = ChannelOption.Resolve(request.Channel, (string)picked);
            if (target is null)
            {
                return CommandReply.Error(error!);
            }

            where = target;
        }

        try
        {
            var channel = await channels.GetOrAddAsync(where.Platform, where.ExternalId, where.ThreadId, where.Name, where.GroupId, cancellationToken);
            return await handler.HandleAsync(new CommandContext(request, definition, channel, parsed.Values, isAdmin, isOperator), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, definition.Name, request.Channel.Platform.ToString(), request.Channel.ExternalId, ex);
            return CommandReply.Error($"Sorry, /{definition.Name} failed on our side. The error was logged; please try again later.");
        }
    }

    private bool IsOwner(CommandRequest request) =>
        options.Value.Owners.Contains($"{request.Channel.Platform.ToString().ToLowerInvariant()}:{request.UserId}", StringComparer.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command /{Command} failed in {Platform} channel {ChannelId}")]
    private static partial void LogHandlerFailed(ILogger logger, string command, string platform, string channelId, Exception exception);
}
