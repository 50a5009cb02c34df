using System.Globalization;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Localization;

namespace NewsBot.Commands.Handlers;

public sealed class SettingsHandler(IChannelStore channels) : ICommandHandler
{
    public string Name => "settings";

    public async Task<CommandReply> HandleAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var channel = context.Channel;
        var texts = context.Texts;
        if (context.Options.Count == 0)
        {
            return CommandReply.Text(texts.Format("Settings.Current", Describe(channel, texts))) with { Private = true };
        }

        var max = context.Integer("max_per_hour") ?? channel.MaxPostsPerHour;
        var (start, end) = (channel.QuietStart, channel.QuietEnd);
        if (context.String("quiet") is { } quiet)
        {
            if (string.Equals(quiet, "off", StringComparison.OrdinalIgnoreCase))
            {
                (start, end) = (null, null);
            }
            else if (!TryParseRange(quiet, out var from, out var to))
            {
                return CommandReply.Error(texts.Format("Settings.BadQuiet", quiet));
            }
            else
            {
                (start, end) = (from, to);
            }
        }

        var zone = context.String("timezone") ?? channel.TimeZone;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _))
        {
            return CommandReply.Error(texts.Format("Settings.BadZone", zone));
        }

        // "auto" (the only choice that is not a language) clears the channel's language.
        var language = context.String("language") is { } chosen ? Language.Match(chosen)?.Code : channel.Language;
        await channels.UpdateSettingsAsync(channel.Id, max, start, end, zone, cancellationToken);
        if (language != channel.Language)
        {
            await channels.SetLanguageAsync(channel.Id, language, cancellationToken);
        }

        // Answered in the language just chosen, as everything here will be from now on.
        var saved = channel with { MaxPostsPerHour = max, QuietStart = start, QuietEnd = end, TimeZone = zone, Language = language };
        var savedTexts = Texts.For(language, context.Request.Locale, channel.PlatformLocale);
        return CommandReply.Text(savedTexts.Format("Settings.Saved", Describe(saved, savedTexts))) with { Private = true, Texts = savedTexts };
    }

    private static string Describe(Channel channel, Texts texts) => texts.Format(
        "Settings.Describe",
        channel.MaxPostsPerHour,
        channel.QuietStart is { } start && channel.QuietEnd is { } end
            ? texts.Format("Settings.Quiet", Clock(start), Clock(end), channel.TimeZone)
            : texts.Format("Settings.NoQuiet", channel.TimeZone),
        channel.Language is null ? texts["Settings.LanguageAuto"] : texts.Format("Settings.Language", texts.Language.NativeName));

    internal static string Clock(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static bool TryParseRange(string text, out TimeOnly from, out TimeOnly to)
    {
        from = to = default;
        var parts = text.Split('-', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && TimeOnly.TryParseExact(parts[0], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out from)
            && TimeOnly.TryParseExact(parts[1], ["H:mm", "HH:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out to)
            && from != to;
    }
}
