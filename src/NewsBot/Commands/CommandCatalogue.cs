namespace NewsBot.Commands;

/// <summary>
/// The one list of commands. Discord application commands and Telegram's command menu are generated from it,
/// so the platforms never drift apart; a new command is one entry here and one handler.
/// </summary>
public sealed class CommandCatalogue
{
    private static readonly CommandOption Count = new("count", "How many (1-20)", OptionType.Integer) { Min = 1, Max = 20 };
    private static readonly CommandOption Article = new("article", "Short id from a post, a link, or search words", Required: true) { TakesRest = true };

    /// <summary>Another channel than this one: a forum or thread (Discord), a forum topic id or link (Telegram).</summary>
    private static readonly CommandOption Where = new(ChannelOption.Name, "Another channel: a forum or thread (Discord), a topic id or link (Telegram)", OptionType.Channel) { NamedOnly = true };

    public CommandCatalogue()
    {
        All =
        [
            new("help", "What NewsBot can do", []),
            new("latest", "The newest articles", [
                new("topic", "Only this topic") { Autocomplete = AutocompleteSource.Topics },
                new("source", "Only this source (name or id)") { Autocomplete = AutocompleteSource.Sources },
                Count]),
            new("summary", "Summary, topics and related links of an article", [Article]),
            new("topics", "Trending topics", [new("window", "Compare the last 24 hours or 7 days") { Choices = ["24h", "7d"] }]),
            new("topic", "Articles on a topic", [new("name", "Topic name", Required: true) { Autocomplete = AutocompleteSource.Topics }, Count]),
            new("search", "Search all stored articles", [new("query", "Words to look for", Required: true) { TakesRest = true }, Count]),
            new("related", "Articles related to an article", [Article]),
            new("sources", "The sources NewsBot watches", []),
            new("status", "Health of sources and deliveries", []),
            new("source", "Add, remove, pause or resume a source (admins)", [
                new("action", "What to do", Required: true) { Choices = ["add", "remove", "pause", "resume"] },
                new("target", "Feed or page URL (add), or source name/id", Required: true) { Autocomplete = AutocompleteSource.Sources },
                new("name", "Display name (add)"),
                new("fulltext", "Fetch the article page: auto, always or never (add)") { Choices = ["auto", "always", "never"] }],
                AdminOnly: true),
            new("subscribe", "Post a source, a topic or everything to this channel (admins)", [
                new("target", "Source name/id, topic:<name>, or all", Required: true) { Autocomplete = AutocompleteSource.Sources },
                // Named only: "/subscribe City News" is one source name, and "/subscribe 7" is source 7, never related:7.
                new("include", "Only articles with one of these words (comma separated; /regex/ allowed)") { NamedOnly = true },
                new("exclude", "Skip articles with one of these words (comma separated; /regex/ allowed)") { NamedOnly = true },
                new("summary", "Show the summary", OptionType.Boolean) { NamedOnly = true },
                new("related", "Related links per post (0-5)", OptionType.Integer) { Min = 0, Max = 5, NamedOnly = true },
                new("format", "Post layout") { Choices = ["full", "compact"], NamedOnly = true },
                new("digest", "Collect posts into a digest") { Choices = ["off", "hourly", "daily"], NamedOnly = true },
                new("template", "Own layout in Liquid, e.g. {{ title }} {{ link }} (\\n = new line; off = default)") { NamedOnly = true },
                new("embed_title", "Discord: embed title template") { NamedOnly = true },
                new("embed_footer", "Discord: embed footer template") { NamedOnly = true },
                new("colour", "Discord: embed colour as #RRGGBB") { NamedOnly = true },
                new("mention", "Discord: roles each post pings (@role or id, comma separated; none = no ping)") { NamedOnly = true },
                new("silent", "Post without a notification sound", OptionType.Boolean) { NamedOnly = true },
                Where,
                new("preview", "Show the newest matching article as it would be posted, without subscribing", OptionType.Boolean) { NamedOnly = true }],
                AdminOnly: true),
            new("unsubscribe", "Stop posting a source, a topic or everything here (admins)", [
                new("target", "Source name/id, topic:<name>, or all", Required: true) { Autocomplete = AutocompleteSource.Sources },
                Where],
                AdminOnly: true),
            new("subscriptions", "What this channel receives", [Where]),
            new("settings", "Channel limits and quiet hours (admins)", [
                new("max_per_hour", "Most posts per hour; the rest become a digest (1-120)", OptionType.Integer) { Min = 1, Max = 120 },
                new("quiet", "Quiet hours as HH:MM-HH:MM, or off"),
                new("timezone", "Time zone for quiet hours, e.g. Europe/Berlin")],
                AdminOnly: true),
            new("export", "Export the sources as OPML (admins)", [], AdminOnly: true),
            new("import", "Import sources from an OPML document URL (admins)", [new("url", "Where the OPML file is", Required: true)], AdminOnly: true),
        ];
    }

    public IReadOnlyList<CommandDefinition> All { get; }

    public CommandDefinition? Find(string name) => All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
