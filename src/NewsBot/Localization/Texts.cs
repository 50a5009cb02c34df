using System.Collections.Frozen;
using System.Globalization;
using System.Resources;

namespace NewsBot.Localization;

/// <summary>
/// The interface's words in one language: Strings.resx (English) and its translations (Strings.de.resx, …), read with
/// the ResourceManager that Microsoft.Extensions.Localization wraps. The culture is passed explicitly rather than taken
/// from the thread (as IStringLocalizer does): one process answers many chats in different languages at once.
/// A key a translation lacks falls back to English (the ResourceManager's parent chain).
/// </summary>
public sealed class Texts
{
    private static readonly ResourceManager Resources = new("NewsBot.Localization.Strings", typeof(Texts).Assembly);

    private static readonly FrozenDictionary<string, Texts> ByCode =
        Language.Shipped.ToFrozenDictionary(l => l.Code, l => new Texts(l), StringComparer.OrdinalIgnoreCase);

    private Texts(Language language)
    {
        Language = language;
        Culture = CultureInfo.GetCultureInfo(language.Code);
    }

    public static Texts English => ByCode[Language.English.Code];

    public Language Language { get; }

    /// <summary>Formats numbers, dates and month names in replies and posts.</summary>
    public CultureInfo Culture { get; }

    public string this[string key] => Resources.GetString(key, Culture) ?? key;

    public static Texts For(Language language) => ByCode[language.Code];

    /// <summary>
    /// The first of <paramref name="locales"/> (most specific choice first: a channel's /settings language, the user's,
    /// the place's) that matches a shipped language; English when none does.
    /// </summary>
    public static Texts For(params ReadOnlySpan<string?> locales)
    {
        foreach (var locale in locales)
        {
            if (Language.Match(locale) is { } language)
            {
                return For(language);
            }
        }

        return English;
    }

    /// <summary>A text with composite-format placeholders ({0}, {1:N0}), filled in this language's culture.</summary>
    public string Format(string key, params object?[] args) => string.Format(Culture, this[key], args);

    /// <summary>A time as this language writes it (the pattern is a text too: "d MMM yyyy HH:mm", "yyyy年M月d日 H:mm").</summary>
    public string DateTime(DateTimeOffset time) => time.ToString(this["Format.DateTime"], Culture);

    /// <summary>The keys of one shipped language's own resources, without English fallback: what the completeness test compares.</summary>
    internal static IReadOnlyDictionary<string, string> OwnEntries(Language language)
    {
        var culture = language == Language.English ? CultureInfo.InvariantCulture : CultureInfo.GetCultureInfo(language.Code);
        var set = Resources.GetResourceSet(culture, createIfNotExists: true, tryParents: false);
        return set is null
            ? new Dictionary<string, string>()
            : set.Cast<System.Collections.DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
    }
}
