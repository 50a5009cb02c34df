using System.Text.RegularExpressions;
using NewsBot.Commands;
using NewsBot.Localization;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Localization;

public sealed partial class TextsTests
{
    public static TheoryData<string> Translations => [.. Language.Shipped.Where(l => l != Language.English).Select(l => l.Code)];

    private static IReadOnlyDictionary<string, string> English => Texts.OwnEntries(Language.English);

    [Theory]
    [MemberData(nameof(Translations))]
    public void Translation_HasEveryEnglishKey(string code)
    {
        var own = Texts.OwnEntries(Language.Match(code)!);

        var missing = English.Keys.Where(key => !own.ContainsKey(key)).Order(StringComparer.Ordinal).ToList();

        Assert.True(missing.Count == 0, $"Strings.{code}.resx lacks: {string.Join(", ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Translation_HasNoKeyEnglishLacks(string code)
    {
        var stale = Texts.OwnEntries(Language.Match(code)!).Keys.Where(key => !English.ContainsKey(key)).ToList();

        Assert.True(stale.Count == 0, $"Strings.{code}.resx has keys English does not: {string.Join(", ", stale)}");
    }

    [Theory]
    [MemberData(nameof(Translations))]
    public void Translation_HasTheSamePlaceholdersAsEnglish(string code)
    {
        var own = Texts.OwnEntries(Language.Match(code)!);

        var different = English
            .Where(e => own.TryGetValue(e.Key, out var translated) && !Placeholders(translated).SetEquals(Placeholders(e.Value)))
            .Select(e => $"{e.Key}: \"{own[e.Key]}\"")
            .ToList();

        Assert.True(different.Count == 0, $"Strings.{code}.resx placeholders differ from English in: {string.Join("; ", different)}");
    }

    [Fact]
    public void EveryText_FormatsWithoutError()
    {
        foreach (var language in Language.Shipped)
        {
            var texts = Texts.For(language);
            foreach (var (key, value) in Texts.OwnEntries(language))
            {
                var args = Enumerable.Range(0, Placeholders(value).Select(p => p.Index + 1).DefaultIfEmpty(0).Max()).Select(i => (object)(i + 1)).ToArray();
                var formatted = texts.Format(key, args);
                Assert.False(string.IsNullOrWhiteSpace(formatted), $"{language.Code} {key}");
            }
        }
    }

    [Fact]
    public void EveryKeyTheCodeUses_ExistsInEnglish()
    {
        var source = Path.Combine(RepositoryPaths.Root, "src", "NewsBot");
        var used = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .SelectMany(file => KeyInCode().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Key: m.Groups[1].Value)))
            .ToList();

        Assert.True(used.Count > 150, $"only {used.Count} keys found: the pattern no longer matches how the code reads texts");
        var unknown = used.Where(u => !English.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "keys missing from Strings.resx: " + string.Join(", ", unknown));
    }

    [Fact]
    public void EveryCommandAndOption_IsDescribedWithinDiscordsLimitInEveryLanguage()
    {
        foreach (var language in Language.Shipped)
        {
            var texts = Texts.For(language);
            foreach (var command in new CommandCatalogue().All)
            {
                AssertDescription(texts.Describe(command), $"{language.Code} /{command.Name}");
                foreach (var option in command.Options)
                {
                    AssertDescription(texts.Describe(command, option), $"{language.Code} /{command.Name} {option.Name}");
                }
            }
        }

        static void AssertDescription(string description, string what)
        {
            Assert.False(description.StartsWith("Option.", StringComparison.Ordinal) || description.StartsWith("Command.", StringComparison.Ordinal), $"{what} has no description");
            Assert.InRange(description.Length, 1, 100);
        }
    }

    [Theory]
    [InlineData("de", "de")]
    [InlineData("de-AT", "de")]
    [InlineData("es-ES", "es")]
    [InlineData("es-419", "es")]
    [InlineData("pt-BR", "pt-BR")]
    [InlineData("pt-br", "pt-BR")]
    [InlineData("pt", "pt-BR")]
    [InlineData("zh-CN", "zh-CN")]
    [InlineData("zh-hans", "zh-CN")]
    [InlineData("en-GB", "en")]
    [InlineData("ja", "ja")]
    [InlineData("RU", "ru")]
    [InlineData("Deutsch", "de")]
    public void Parse_PlatformLocaleOrName_FindsTheShippedLanguage(string locale, string expected) =>
        Assert.Equal(expected, Language.Parse(locale)?.Code);

    [Theory]
    [InlineData("zh-TW")]
    [InlineData("zh-Hant")]
    [InlineData("ko")]
    [InlineData("")]
    [InlineData(null)]
    public void Match_UnshippedLanguage_IsNone(string? locale) => Assert.Null(Language.Match(locale));

    [Fact]
    public void For_FirstMatchingChoiceWins_ElseEnglish()
    {
        Assert.Equal("ja", Texts.For(null, "ko", "ja", "de").Language.Code);
        Assert.Equal("en", Texts.For("ko", null).Language.Code);
    }

    [Fact]
    public void Format_NumbersAndDates_FollowTheLanguage()
    {
        var at = new DateTimeOffset(2026, 12, 7, 3, 54, 0, TimeSpan.Zero);

        Assert.Equal("7 Dec 2026 03:54", Texts.English.DateTime(at));
        Assert.Equal("7. Dez. 2026 03:54", Texts.For("de").DateTime(at));
        Assert.Equal("2026年12月7日 3:54", Texts.For("ja").DateTime(at));
        Assert.Contains("1.234 Artikel gespeichert", Texts.For("de").Format("Status.Summary", 1, 1, 1234, 0), StringComparison.Ordinal);
        Assert.Contains("1,234 articles stored", Texts.English.Format("Status.Summary", 1, 1, 1234, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void Indexer_UnknownKey_ShowsTheKeyRatherThanNothing() =>
        Assert.Equal("No.Such.Key", Texts.For("fr")["No.Such.Key"]);

    /// <summary>The placeholders of a composite format string: index and format ({0}, {1:N0}).</summary>
    private static HashSet<(int Index, string Format)> Placeholders(string text) =>
        [.. Placeholder().Matches(text).Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value))];

    [GeneratedRegex(@"(?<!\{)\{(\d+)(?:,-?\d+)?(:[^}]*)?\}")]
    private static partial Regex Placeholder();

    /// <summary>A text key as the code reads it: texts["Area.Name"], texts.Format("Area.Name", …), or either side of a ternary inside those.</summary>
    [GeneratedRegex("""(?:\[|Format\(|\? |: )"([A-Z][A-Za-z]+\.[A-Z][A-Za-z0-9.]*)"(?=[,\]\)\s])""")]
    private static partial Regex KeyInCode();
}
