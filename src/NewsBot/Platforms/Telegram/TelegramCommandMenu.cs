using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// The "/" menu from the <see cref="CommandCatalogue"/>: member commands for everyone (default scope), every command
/// for chat admins (all_chat_administrators). Scopes only shape the menu; the router still checks rights.
/// setMyCommands runs only when the menu changed since the last start (a hash in platform_state).
/// </summary>
public sealed partial class TelegramCommandMenu(TelegramBot bot, CommandCatalogue catalogue, IPlatformStateStore state, ILogger<TelegramCommandMenu> logger)
{
    private const string HashKey = "commands_hash";

    /// <summary>Telegram's limit for a command description.</summary>
    private const int MaxDescription = 256;

    public IReadOnlyList<BotCommand> MemberCommands => Commands(catalogue.All.Where(c => !c.AdminOnly));

    public IReadOnlyList<BotCommand> AdminCommands => Commands(catalogue.All);

    /// <returns>True when the menu was sent, false when Telegram already had it.</returns>
    public async Task<bool> RegisterAsync(CancellationToken cancellationToken)
    {
        var members = MemberCommands;
        var all = AdminCommands;
        var hash = Hash(members, all);
        if (await state.GetAsync(Platform.Telegram.ToKey(), HashKey, cancellationToken) == hash)
        {
            return false;
        }

        var client = bot.Client;
        await client.SetMyCommands(members, new BotCommandScopeDefault(), cancellationToken: cancellationToken);
        await client.SetMyCommands(all, new BotCommandScopeAllChatAdministrators(), cancellationToken: cancellationToken);
        await state.SetAsync(Platform.Telegram.ToKey(), HashKey, hash, cancellationToken);
        LogRegistered(logger, members.Count, all.Count);
        return true;
    }

    private static List<BotCommand> Commands(IEnumerable<CommandDefinition> definitions) =>
        definitions.Select(d => new BotCommand { Command = d.Name, Description = d.Description.Length <= MaxDescription ? d.Description : d.Description[..MaxDescription] }).ToList();

    private static string Hash(IReadOnlyList<BotCommand> members, IReadOnlyList<BotCommand> all)
    {
        var text = new StringBuilder();
        foreach (var (scope, commands) in new[] { ("default", members), ("all_chat_administrators", all) })
        {
            text.Append(scope).Append('\n');
            foreach (var command in commands)
            {
                text.Append(command.Command).Append('\t').Append(command.Description).Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram command menu registered: {MemberCount} commands for members, {AdminCount} for admins")]
    private static partial void LogRegistered(ILogger logger, int memberCount, int adminCount);
}
