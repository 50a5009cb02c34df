using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Commands;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;
using NewsBot.Discord;
using NewsBot.Model;
using NewsBot.Localization;

namespace NewsBot.Platforms.Discord;

/// <summary>The first answer to an interaction, and the work that finishes it (edit the deferred reply) when there is any.</summary>
public sealed record InteractionAnswer(InteractionResponse Response, Func<CancellationToken, Task>? CompleteAsync = null);

/// <summary>
/// Answers slash commands and autocomplete. Discord drops an interaction not answered within 3 s, so a command
/// whose handler is not done after <see cref="DeferAfter"/> is deferred and its reply edited in later.
/// </summary>
public sealed partial class DiscordInteractionHandler(
    CommandRouter router,
    CommandCatalogue catalogue,
    CommandAutocomplete autocomplete,
    DiscordChannelKinds kinds,
    DiscordPublisher publisher,
    DiscordRestClient rest,
    DiscordRateLimiter limiter,
    DiscordAdapterState adapter,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordInteractionHandler> logger)
{
    public static readonly TimeSpan DeferAfter = TimeSpan.FromMilliseconds(1500);

    private readonly SemaphoreSlim _routing = new(Math.Max(2, Environment.ProcessorCount));

    /// <summary>Discord shows at most 25 autocomplete choices.</summary>
    public const int MaxChoices = 25;

    /// <summary>Member permissions that make someone an admin of a channel: ADMINISTRATOR, MANAGE_CHANNELS, MANAGE_GUILD.</summary>
    public const ulong AdminPermissions = 0x8 | 0x10 | 0x20;

    /// <summary>What the bot needs in a channel to post embeds there: VIEW_CHANNEL, SEND_MESSAGES, EMBED_LINKS.</summary>
    public static readonly IReadOnlyList<(ulong Bit, string Name)> PostingPermissions =
        [(1UL << 10, "View Channel"), (1UL << 11, "Send Messages"), (1UL << 14, "Embed Links")];

    /// <summary>Gateway delivery: answers through the callback endpoint, then finishes a deferred reply.</summary>
    public async Task HandleAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        var answer = await AnswerAsync(interaction, cancellationToken);
        var sent = await rest.CreateInteractionResponseAsync(interaction.Id, interaction.Token, answer.Response, cancellationToken);
        if (sent.Error is { } error)
        {
            LogCallbackFailed(logger, interaction.Data?.Name ?? "?", error.ToString());
            return;
        }

        if (answer.CompleteAsync is not null)
        {
            await answer.CompleteAsync(cancellationToken);
        }
    }

    /// <summary>The first response to an interaction, within Discord's 3 s; slow commands come back deferred.</summary>
    public async Task<InteractionAnswer> AnswerAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        switch (interaction.Type)
        {
            case InteractionTypes.Ping:
                return new InteractionAnswer(InteractionResponse.Pong);
            case InteractionTypes.Autocomplete:
                return new InteractionAnswer(InteractionResponse.Autocomplete(await SuggestAsync(interaction, cancellationToken)));
            case InteractionTypes.ApplicationCommand when interaction.Data is { } data:
                return await AnswerCommandAsync(interaction, data, cancellationToken);
            default:
                return new InteractionAnswer(Reply(CommandReply.Error(Texts.For(interaction.Locale)["Discord.UnknownInteraction"])));
        }
    }

    /// <summary>
    /// The channel a command is about: the one picked in a CHANNEL option (a forum or thread, say, where no one can
    /// type), with the invoker's and the bot's permissions there; else the one it was typed in.
    /// </summary>
    public sealed record CommandChannel(ulong Id, int? Type, ulong? ParentId, string? Name, ulong? Permissions, ulong? AppPermissions)
    {
        public bool IsThread => Type is { } type && ChannelTypes.IsThread(type);
    }

    public static CommandChannel TargetOf(Interaction interaction, InteractionData data)
    {
        var picked = data.Options?.FirstOrDefault(o => o.Type == DiscordCommandRegistrar.OptionChannel)?.Value is { ValueKind: JsonValueKind.String } value
            ? value.GetString()
            : null;
        if (picked is not null && data.Resolved?.Channels?.TryGetValue(picked, out var resolved) == true)
        {
            return new CommandChannel(resolved.Id, resolved.Type, resolved.ParentId, resolved.Name, resolved.Permissions, resolved.AppPermissions);
        }

        return new CommandChannel(interaction.ChannelId ?? interaction.Channel?.Id ?? 0, interaction.Channel?.Type, interaction.Channel?.ParentId,
            interaction.Channel?.Name, interaction.Member?.Permissions, interaction.AppPermissions);
    }

    /// <summary>The platform-neutral request for a slash command: typed options, the channel, the guild as group.</summary>
    public static CommandRequest ToRequest(Interaction interaction, InteractionData data)
    {
        var options = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase);
        foreach (var option in data.Options ?? [])
        {
            if (option.Value is { } value && OptionValue(value) is { } typed)
            {
                options[option.Name] = typed;
            }
        }

        var target = TargetOf(interaction, data);
        // A thread is a channel of its own here (posts go to its id), as it has always been for threads typed in.
        // Posts in a server follow the server's language (guild_locale); in a DM, the user's.
        var channel = new ChannelRef(
            Platform.Discord,
            target.Id.ToString(CultureInfo.InvariantCulture),
            GroupId: interaction.GuildId?.ToString(CultureInfo.InvariantCulture),
            Name: target.Name,
            Locale: interaction.GuildId is null ? interaction.Locale : interaction.GuildLocale);
        var userId = interaction.Member?.User?.Id ?? interaction.User?.Id ?? 0;
        // member.permissions (or a picked channel's resolved permissions) include channel overwrites; the router checks admin-only commands again.
        var isAdmin = interaction.Member is not null && target.Permissions is { } permissions && (permissions & AdminPermissions) != 0;
        return new CommandRequest(data.Name, channel, userId.ToString(CultureInfo.InvariantCulture), isAdmin) { Options = options, Locale = interaction.Locale };
    }

    /// <summary>Webhook posting mode also needs MANAGE_WEBHOOKS to create the channel's webhook.</summary>
    public static readonly (ulong Bit, string Name) WebhookPermission = (1UL << 29, "Manage Webhooks");

    /// <summary>In a thread, SEND_MESSAGES_IN_THREADS takes the place of SEND_MESSAGES.</summary>
    public static readonly (ulong Bit, string Name) ThreadPostingPermission = (1UL << 38, "Send Messages in Threads");

    /// <summary>Names of the posting permissions the bot lacks in the channel; empty when Discord did not say.</summary>
    public static IReadOnlyList<string> MissingPostingPermissions(ulong? appPermissions, bool webhooks = false, bool thread = false) =>
        appPermissions is { } granted
            ? [.. PostingPermissions.Select(p => thread && p.Bit == 1UL << 11 ? ThreadPostingPermission : p)
                .Concat(webhooks ? [WebhookPermission] : []).Where(p => (granted & p.Bit) == 0).Select(p => p.Name)]
            : [];

    private async Task<InteractionAnswer> AnswerCommandAsync(Interaction interaction, InteractionData data, CancellationToken cancellationToken)
    {
        var request = ToRequest(interaction, data);
        var definition = catalogue.Find(request.Name);
        if (definition is { StartsPosting: true } && request.IsPlatformAdmin)
        {
            var target = TargetOf(interaction, data);
            if (MissingPostingPermissions(target.AppPermissions, options.Value.UsesWebhooks, target.IsThread) is { Count: > 0 } missing)
            {
                // Permission names as Discord's own settings show them in the user's language.
                var texts = Texts.For(request.Locale, request.Channel.Locale);
                var names = missing.Select(name => texts["Permission." + name.Replace(" ", "", StringComparison.Ordinal)]);
                return new InteractionAnswer(Reply(CommandReply.Error(texts.Format("Discord.MissingPermissions", string.Join(", ", names))) with { Texts = texts }));
            }

            if (target.Type is { } type)
            {
                // Where posts go depends on it: a forum gets a new post per article, a thread's webhook is its parent's.
                await kinds.RememberAsync(target.Id, type, target.ParentId, cancellationToken);
            }
        }

        // The work must outlive a deferral, so it follows the adapter's lifetime rather than the caller's.
        var routing = RouteAsync(request, definition, adapter.Stopping);
        var first = await Task.WhenAny(routing, Task.Delay(DeferAfter, time, cancellationToken));
        if (first == routing)
        {
            return new InteractionAnswer(Reply(await routing));
        }

        // Admin commands answer privately, so their "thinking…" is private too.
        var ephemeral = definition?.AdminOnly == true;
        return new InteractionAnswer(InteractionResponse.Defer(ephemeral), async token =>
        {
            var reply = await routing;
            var message = DiscordRenderer.RenderReply(reply, publisher.Compose);
            var wantsPrivate = message.Flags.HasFlag(MessageFlags.Ephemeral);
            if (wantsPrivate && !ephemeral)
            {
                // A public "thinking…" cannot become private: close it briefly and send the answer as an ephemeral followup.
                await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, new OutgoingMessage { Content = (reply.Texts ?? Texts.English)["Discord.AnsweredPrivately"] }, token);
                await rest.CreateFollowupAsync(interaction.ApplicationId, interaction.Token, message, token);
                return;
            }

            var edited = await rest.EditOriginalResponseAsync(interaction.ApplicationId, interaction.Token, message with { Flags = MessageFlags.None }, token);
            if (edited.Error is { } error)
            {
                LogCallbackFailed(logger, request.Name, error.ToString());
            }
        });
    }

    private async Task<CommandReply> RouteAsync(CommandRequest request, CommandDefinition? definition, CancellationToken cancellationToken)
    {
        CommandReply reply;
        // Storage calls block a thread; a burst of commands must leave threads free for the defer timers.
        await _routing.WaitAsync(cancellationToken);
        try
        {
            reply = await router.RouteAsync(request, cancellationToken);
        }
        finally
        {
            _routing.Release();
        }

        if (definition is { StartsPosting: true } && !reply.IsError && ulong.TryParse(request.Channel.ExternalId, CultureInfo.InvariantCulture, out var channelId))
        {
            // A channel that once refused posts (403/404) may have been fixed: let the client try it again.
            limiter.UnblockChannel(channelId);
        }

        return reply;
    }

    /// <summary>The choices for the option being typed, from <see cref="CommandAutocomplete"/>.</summary>
    private async Task<IReadOnlyList<CommandChoice>> SuggestAsync(Interaction interaction, CancellationToken cancellationToken)
    {
        if (interaction.Data is not { } data || data.Options?.FirstOrDefault(o => o.Focused == true) is not { } focused)
        {
            return [];
        }

        var typed = focused.Value is { ValueKind: JsonValueKind.String } value ? value.GetString() ?? "" : "";
        var suggestions = await autocomplete.SuggestAsync(data.Name, focused.Name, typed, MaxChoices, cancellationToken);
        return [.. suggestions.Take(MaxChoices).Select(s => Choice(s.Label, s.Value))];
    }

    /// <summary>Choice names and values are limited to 100 characters.</summary>
    private static CommandChoice Choice(string name, string value)
    {
        using var document = JsonDocument.Parse("\"" + JsonEncodedText.Encode(value.Length > 100 ? value[..100] : value) + "\"");
        return new CommandChoice { Name = DiscordRenderer.Shorten(name, 100), Value = document.RootElement.Clone() };
    }

    private static object? OptionValue(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number when value.TryGetInt64(out var number) => number,
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };

    private InteractionResponse Reply(CommandReply reply) => InteractionResponse.Reply(DiscordRenderer.RenderReply(reply, publisher.Compose));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answering Discord command /{Command} failed: {Error}")]
    private static partial void LogCallbackFailed(ILogger logger, string command, string error);
}
