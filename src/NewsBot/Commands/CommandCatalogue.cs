using NewsBot.Localization;

namespace NewsBot.Commands;

/// <summary>
/// The one list of commands. Discord application commands and Telegram's command menu are generated from it,
/// so the platforms never drift apart; a new command is one entry here, one handler, and its descriptions in
/// Localization/Strings*.resx (Command.{name}, Option.{command}.{option} or Option.{option} when shared).
/// </summary>
public sealed class CommandCatalogue
{
    private static readonly CommandOption Count = new("count", OptionType.Integer) { Min = 1, Max = 20 };
    private static readonly CommandOption Article = new("article", Required: true) { TakesRest = true };

    /// <summary>Each language under its own name, whatever language the picker is shown in.</summary>
    private static readonly IReadOnlyDictionary<string, string> LanguageNames =
        Language.Shipped.ToDictionary(l => l.Code, l => $"{l.NativeName} ({l.Code})");

    /// <summary>Another channel than this one: a forum or thread (Discord), a forum topic id or link (Telegram).</summary>
    private static readonly CommandOption Where = new(ChannelOption.Name, OptionType.Channel) { NamedOnly = true };

    public CommandCatalogue()
    {
        All =
        [
            new("help", []) { Aliases = ["start"] },
            new("latest", [
                new("topic") { Autocomplete = AutocompleteSource.Topics },
                new("source") { Autocomplete = AutocompleteSource.Sources },
                Count]),
            new("summary", [Article]),
            new("topics", [new("window") { Choices = ["24h", "7d"] }]),
            new("topic", [new("name", Required: true) { Autocomplete = AutocompleteSource.Topics }, Count]),
            new("search", [new("query", Required: true) { TakesRest = true }, Count]),
            new("related", [Article]),
            new("sources", []),
            new("status", []),
            new("source", [
                new("action", Required: true) { Choices = ["add", "remove", "pause", "resume"] },
                new("target", Required: true) { Autocomplete = AutocompleteSource.Sources },
                new("name"),
                new("fulltext") { Choices = ["auto", "always", "never"] }],
                AdminOnly: true),
            new("subscribe", [
                new("target", Required: true) { Autocomplete = AutocompleteSource.Sources },
                // Named only: "/subscribe City News" is one source name, and "/subscribe 7" is source 7, never related:7.
                new("include") { NamedOnly = true },
                new("exclude") { NamedOnly = true },
                new("summary", OptionType.Boolean) { NamedOnly = true },
                new("related", OptionType.Integer) { Min = 0, Max = 5, NamedOnly = true },
                new("format") { Choices = ["full", "compact"], NamedOnly = true },
                new("digest") { Choices = ["off", "hourly", "daily"], NamedOnly = true },
                new("template") { NamedOnly = true },
                new("embed_title") { NamedOnly = true },
                new("embed_footer") { NamedOnly = true },
                new("colour") { NamedOnly = true },
                new("mention") { NamedOnly = true },
                new("summary_language") { NamedOnly = true },
                new("silent", OptionType.Boolean) { NamedOnly = true },
                Where,
                new("preview", OptionType.Boolean) { NamedOnly = true }],
                AdminOnly: true) { StartsPosting = true },
            new("unsubscribe", [
                new("target", Required: true) { Autocomplete = AutocompleteSource.Sources },
                Where],
                AdminOnly: true),
            new("subscriptions", [Where]),
            new("settings", [
                new("max_per_hour", OptionType.Integer) { Min = 1, Max = 120 },
                new("quiet"),
                new("timezone"),
                new("language") { Choices = ["auto", .. Language.Shipped.Select(l => l.Code)], ChoiceNames = LanguageNames }],
                AdminOnly: true),
            new("export", [], AdminOnly: true),
            new("import", [new("url", Required: true)], AdminOnly: true),
        ];
    }

    public IReadOnlyList<CommandDefinition> All { get; }

    /// <summary>The command with this name or alias, in any case.</summary>
    public CommandDefinition? Find(string name) =>
        All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? All.FirstOrDefault(c => c.Aliases.Contains(name, StringComparer.OrdinalIgnoreCase));
}
