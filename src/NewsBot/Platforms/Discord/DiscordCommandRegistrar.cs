using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NewsBot.Commands;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Platforms.Discord;

/// <summary>
/// Turns the command catalogue into application commands and overwrites them only when they changed:
/// Discord allows 200 command creates a day per guild, so a restart must not re-register.
/// </summary>
public sealed partial class DiscordCommandRegistrar(
    CommandCatalogue catalogue,
    DiscordRestClient rest,
    IPlatformStateStore state,
    IOptions<DiscordOptions> options,
    ILogger<DiscordCommandRegistrar> logger)
{
    /// <summary>MANAGE_GUILD: admin commands are hidden from members who could not use them anyway.</summary>
    public const string AdminPermissions = "32";

    private const int OptionString = 3;
    private const int OptionInteger = 4;
    private const int OptionBoolean = 5;

    /// <summary>A channel picker: its value is the channel id, with the channel in the interaction's resolved data.</summary>
    public const int OptionChannel = 7;

    /// <summary>What a channel option offers: text, announcement, threads, forums and media channels.</summary>
    private static readonly IReadOnlyList<int> PostableChannelTypes =
    [
        ChannelTypes.GuildText, ChannelTypes.GuildAnnouncement, ChannelTypes.AnnouncementThread, ChannelTypes.PublicThread,
        ChannelTypes.PrivateThread, ChannelTypes.GuildForum, ChannelTypes.GuildMedia,
    ];
    private const int ContextGuild = 0;

    public static IReadOnlyList<ApplicationCommand> BuildCommands(CommandCatalogue catalogue) =>
        [.. catalogue.All.Select(command => new ApplicationCommand
        {
            Type = 1,
            Name = command.Name,
            Description = command.Description,
            // Discord wants required options first; the catalogue's order is kept otherwise.
            Options = command.Options.Count == 0 ? null : [.. command.Options.OrderBy(o => o.Required ? 0 : 1).Select(BuildOption)],
            DefaultMemberPermissions = command.AdminOnly ? AdminPermissions : null,
            Contexts = command.AdminOnly ? [ContextGuild] : null,
        })];

    /// <summary>Overwrites the command set when its hash differs from the stored one; returns whether it did.</summary>
    public async Task<bool> RegisterAsync(ulong applicationId, CancellationToken cancellationToken)
    {
        var commands = BuildCommands(catalogue);
        var hash = CommandSetHash.Compute(commands);
        var guildId = options.Value.GuildId;
        var key = string.Create(CultureInfo.InvariantCulture, $"commands.hash:{applicationId}:{guildId?.ToString(CultureInfo.InvariantCulture) ?? "global"}");
        if (await state.GetAsync(Platform.Discord.ToKey(), key, cancellationToken) == hash)
        {
            LogUnchanged(logger, commands.Count);
            return false;
        }

        var result = await rest.BulkOverwriteCommandsAsync(applicationId, guildId, commands, cancellationToken);
        if (result.Error is { } error)
        {
            LogRegistrationFailed(logger, error.ToString());
            return false;
        }

        await state.SetAsync(Platform.Discord.ToKey(), key, hash, cancellationToken);
        LogRegistered(logger, commands.Count, guildId is null ? "globally" : "in guild " + guildId.Value.ToString(CultureInfo.InvariantCulture));
        return true;
    }

    private static ApplicationCommandOption BuildOption(CommandOption option)
    {
        var type = option.Type switch
        {
            OptionType.Integer => OptionInteger,
            OptionType.Boolean => OptionBoolean,
            OptionType.Channel => OptionChannel,
            _ => OptionString,
        };
        return new ApplicationCommandOption
        {
            Type = type,
            Name = option.Name,
            Description = option.Description,
            Required = option.Required ? true : null,
            Choices = option.Choices.Count == 0 ? null : [.. option.Choices.Select(c => new CommandChoice { Name = c, Value = ChoiceValue(type, c) })],
            // Discord refuses autocomplete together with fixed choices.
            Autocomplete = option.Autocomplete != AutocompleteSource.None && option.Choices.Count == 0 ? true : null,
            ChannelTypes = type == OptionChannel ? PostableChannelTypes : null,
            MinValue = option.Min,
            MaxValue = option.Max,
        };
    }

    private static JsonElement ChoiceValue(int type, string choice)
    {
        var json = type == OptionInteger
            ? long.Parse(choice, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
            : "\"" + JsonEncodedText.Encode(choice) + "\"";
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord commands unchanged ({Count}); not registering again")]
    private static partial void LogUnchanged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} Discord commands {Scope}")]
    private static partial void LogRegistered(ILogger logger, int count, string scope);

    [LoggerMessage(Level = LogLevel.Error, Message = "Registering Discord commands failed: {Error}")]
    private static partial void LogRegistrationFailed(ILogger logger, string error);
}
