namespace NewsBot.Localization;

/// <summary>
/// A language the interface ships in. <paramref name="Code"/> is the .NET culture of its resources (Strings.{Code}.resx)
/// and what /settings language: stores; <paramref name="DiscordLocale"/> is Discord's locale key for
/// name/description localizations; <paramref name="TelegramCode"/> is the ISO 639-1 code setMyCommands takes.
/// </summary>
public sealed record Language(string Code, string NativeName, string DiscordLocale, string TelegramCode)
{
    public static Language English { get; } = new("en", "English", "en-US", "en");

    /// <summary>Every language the interface is translated into, English first. A new one is a line here and a Strings.{Code}.resx.</summary>
    public static IReadOnlyList<Language> Shipped { get; } =
    [
        English,
        new("de", "Deutsch", "de", "de"),
        new("fr", "Français", "fr", "fr"),
        new("es", "Español", "es-ES", "es"),
        new("pt-BR", "Português (Brasil)", "pt-BR", "pt"),
        new("ru", "Русский", "ru", "ru"),
        new("zh-CN", "中文（简体）", "zh-CN", "zh"),
        new("ja", "日本語", "ja", "ja"),
    ];

    /// <summary>
    /// The shipped language a platform's locale asks for (Discord "es-419", Telegram "pt-br", "zh-hans"), or null when
    /// none fits. Matching is by language; Chinese also by script, so Traditional Chinese is not answered in Simplified.
    /// </summary>
    public static Language? Match(string? locale)
    {
        if (string.IsNullOrWhiteSpace(locale))
        {
            return null;
        }

        var tag = locale.Trim().Replace('_', '-');
        if (Shipped.FirstOrDefault(l => tag.Equals(l.Code, StringComparison.OrdinalIgnoreCase) || tag.Equals(l.DiscordLocale, StringComparison.OrdinalIgnoreCase)) is { } exact)
        {
            return exact;
        }

        var parts = tag.ToLowerInvariant().Split('-');
        if (parts[0] == "zh" && parts.Skip(1).Any(p => p is "hant" or "tw" or "hk" or "mo"))
        {
            return null;
        }

        return Shipped.FirstOrDefault(l => l.TelegramCode == parts[0]);
    }

    /// <summary>What a user may type in /settings language: a code (de, pt-BR) or the language's own name (Deutsch).</summary>
    public static Language? Parse(string text) =>
        Match(text) ?? Shipped.FirstOrDefault(l => l.NativeName.Equals(text.Trim(), StringComparison.OrdinalIgnoreCase));
}
