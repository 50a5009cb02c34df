namespace NewsBot.Commands;

public enum OptionType
{
    String,
    Integer,
    Boolean,
    /// <summary>Another channel of this chat: a Discord channel picker; on Telegram a forum topic's id or link.</summary>
    Channel,
}

/// <summary>Where suggestions for an option come from while the user types (Discord autocomplete).</summary>
public enum AutocompleteSource
{
    None,
    Topics,
    Sources,
}

/// <summary>An option of a command; its description is a text (Option.{command}.{name}, or Option.{name} when shared).</summary>
public sealed record CommandOption(string Name, OptionType Type = OptionType.String, bool Required = false)
{
    public IReadOnlyList<string> Choices { get; init; } = [];
    /// <summary>What a picker shows for a choice, when not the value itself (Discord choice names).</summary>
    public IReadOnlyDictionary<string, string> ChoiceNames { get; init; } = new Dictionary<string, string>();
    public AutocompleteSource Autocomplete { get; init; }
    public long? Min { get; init; }
    public long? Max { get; init; }
    /// <summary>Text platforms: this option takes the rest of the line (search words, keyword lists).</summary>
    public bool TakesRest { get; init; }
    /// <summary>Text platforms: only <c>name:value</c> fills it, never a bare word (no sensible positional reading).</summary>
    public bool NamedOnly { get; init; }
}

/// <summary>
/// One command, defined once for every platform; its description is the text Command.{name}. Adapters read what a
/// command needs from here (its options, <see cref="AdminOnly"/>, <see cref="Aliases"/>, <see cref="StartsPosting"/>),
/// never from its name.
/// </summary>
public sealed record CommandDefinition(string Name, IReadOnlyList<CommandOption> Options, bool AdminOnly = false)
{
    /// <summary>
    /// Other names that run this command when typed, never shown in menus or /help: a platform's conventional entry
    /// point, such as Telegram's /start (the button that opens a private chat with a bot), answered as /help.
    /// </summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>
    /// Succeeding makes the bot post in the command's channel (/subscribe). Before running it, an adapter that can see
    /// the bot's rights there refuses when the bot could not post; after it succeeds, the adapter forgets that the
    /// channel once refused posts.
    /// </summary>
    public bool StartsPosting { get; init; }

    /// <summary>"/latest [topic] [source] [count]"-style usage line: real command and option names in every language, so it works when typed.</summary>
    public string Usage => "/" + Name + string.Concat(Options.Select(o => o.Required ? $" <{o.Name}>" : o.NamedOnly ? $" [{o.Name}:…]" : $" [{o.Name}]"));
}
