using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using NewsBot.Commands;
using NewsBot.Localization;
using NewsBot.Model;
using NewsBot.Storage;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// The "/" menu from the <see cref="CommandCatalogue"/>: member commands for everyone (default scope), every command
/// for chat admins (all_chat_administrators), each in English (no language_code) and in every shipped language (its
/// language_code), so Telegram shows users the menu in their own app language. Scopes only shape the menu; the router
/// still checks rights. setMyCommands runs only when the menus changed since the last start (a hash in platform_state).
/// </summary>
public sealed partial class TelegramCommandMenu(TelegramBot bot, CommandCatalogue catalogue, IPlatformStateStore state, ILogger<TelegramCommandMenu> logger)
{
    private const string HashKey = "commands_hash";

    /// <summary>Telegram's limit for a command description.</summary>
    private const int MaxDescription = 256;

    /// <summary>One menu: a scope, a language_code ("" = the default for every language without its own) and its commands.</summary>
    public sealed record Menu(BotCommandScope Scope, string LanguageCode, IReadOnlyList<BotCommand> Commands);

    public IReadOnlyList<Menu> Menus =>
    [
        .. Language.Shipped.SelectMany(language =>
        {
            var texts = Texts.For(language);
            var code = language == Language.English ? "" : language.TelegramCode;
            return new[]
            {
                new Menu(new BotCommandScopeDefault(), code, Commands(catalogue.All.Where(c => !c.AdminOnly), texts)),
                new Menu(new BotCommandScopeAllChatAdministrators(), code, Commands(catalogue.All, texts)),
            };
        }),
    ];

    /// <returns>True when the menus were sent, false when Telegram already had them.</returns>
    public async Task<bool> RegisterAsync(CancellationToken cancellationToken)
    {
        var menus = Menus;
        var hash = Hash(menus);
        if (await state.GetAsync(Platform.Telegram.ToKey(), HashKey, cancellationToken) == hash)
        {
            return false;
        }

        var client = bot.Client;
        foreach (var menu in menus)
        {
            await client.SetMyCommands(menu.Commands, menu.Scope, menu.LanguageCode.Length == 0 ? null : menu.LanguageCode, cancellationToken);
        }

        await state.SetAsync(Platform.Telegram.ToKey(), HashKey, hash, cancellationToken);
        LogRegistered(logger, menus[0].Commands.Count, menus[1].Commands.Count, menus.Count / 2);
        return true;
    }

    private static List<BotCommand> Commands(IEnumerable<CommandDefinition> definitions, Texts texts) =>
        definitions.Select(d => (Name: d.Name, Description: texts.Describe(d)))
            .Select(d => new BotCommand { Command = d.Name, Description = d.Description.Length <= MaxDescription ? d.Description : d.Description[..MaxDescription] })
            .ToList();

    private static string Hash(IReadOnlyList<Menu> menus)
    {
        var text = new StringBuilder();
        foreach (var menu in menus)
        {
            text.Append(menu.Scope.Type).Append('|').Append(menu.LanguageCode).Append('\n');
            foreach (var command in menu.Commands)
            {
                text.Append(command.Command).Append('\t').Append(command.Description).Append('\n');
            }
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Telegram command menu registered: {MemberCount} commands for members, {AdminCount} for admins, in {LanguageCount} languages")]
    private static partial void LogRegistered(ILogger logger, int memberCount, int adminCount, int languageCount);
}
