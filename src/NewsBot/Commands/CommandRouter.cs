using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Localization;
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
            var texts = Texts.For(request.Locale, request.Channel.Locale);
            return CommandReply.Error(texts.Format("Router.UnknownCommand", request.Name)) with { Texts = texts };
        }

        Channel channel;
        try
        {
            channel = await LoadChannelAsync(request.Channel, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(request, definition, Texts.For(request.Locale, request.Channel.Locale), ex);
        }

        // The channel's /settings language wins; then the user's own language; then the place's (a Discord server's).
        var channelTexts = Texts.For(channel.Language, request.Locale, channel.PlatformLocale);
        var reply = await RouteAsync(request, definition, handler, channel, channelTexts, cancellationToken);
        return reply.Texts is null ? reply with { Texts = channelTexts } : reply;
    }

    private async Task<CommandReply> RouteAsync(CommandRequest request, CommandDefinition definition, ICommandHandler handler, Channel channel, Texts texts, CancellationToken cancellationToken)
    {
        var isOperator = request.Channel.Platform == Platform.Console || IsOwner(request);
        var isAdmin = request.IsPlatformAdmin || isOperator;
        if (definition.AdminOnly && !isAdmin)
        {
            return CommandReply.Error(texts.Format("Router.AdminsOnly", definition.Name));
        }

        var parsed = request.ArgumentText is not null
            ? CommandArguments.Parse(definition, request.ArgumentText, texts)
            : CommandArguments.Validate(definition, request.Options, texts);
        if (parsed.Error is not null)
        {
            return CommandReply.Error(parsed.Error);
        }

        var where = request.Channel;
        if (parsed.Values.TryGetValue(ChannelOption.Name, out var picked))
        {
            var (target, error) = ChannelOption.Resolve(request.Channel, (string)picked, texts);
            if (target is null)
            {
                return CommandReply.Error(error!);
            }

            where = target;
        }

        try
        {
            // channel: names another channel of this chat; the reply keeps the language of the one typed in.
            var about = where == request.Channel ? channel : await LoadChannelAsync(where, cancellationToken);
            return await handler.HandleAsync(new CommandContext(request, definition, about, parsed.Values, isAdmin, texts, isOperator), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return Failed(request, definition, texts, ex);
        }
    }

    /// <summary>The stored channel, with the locale the platform reports for the place kept up to date (it shapes posts there).</summary>
    private async Task<Channel> LoadChannelAsync(ChannelRef place, CancellationToken cancellationToken)
    {
        var channel = await channels.GetOrAddAsync(place.Platform, place.ExternalId, place.ThreadId, place.Name, place.GroupId, cancellationToken);
        if (place.Locale is { } locale && locale != channel.PlatformLocale)
        {
            await channels.SetPlatformLocaleAsync(channel.Id, locale, cancellationToken);
            channel = channel with { PlatformLocale = locale };
        }

        return channel;
    }

    private CommandReply Failed(CommandRequest request, CommandDefinition definition, Texts texts, Exception ex)
    {
        LogHandlerFailed(logger, definition.Name, request.Channel.Platform.ToString(), request.Channel.ExternalId, ex);
        return CommandReply.Error(texts.Format("Router.Failed", definition.Name)) with { Texts = texts };
    }

    private bool IsOwner(CommandRequest request) =>
        options.Value.Owners.Contains($"{request.Channel.Platform.ToString().ToLowerInvariant()}:{request.UserId}", StringComparer.OrdinalIgnoreCase);

    [LoggerMessage(Level = LogLevel.Error, Message = "Command /{Command} failed in {Platform} channel {ChannelId}")]
    private static partial void LogHandlerFailed(ILogger logger, string command, string platform, string channelId, Exception exception);
}
