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

public sealed record CommandOption(string Name, string Description, OptionType Type = OptionType.String, bool Required = false)
{
    public IReadOnlyList<string> Choices { get; init; } = [];
    public AutocompleteSource Autocomplete { get; init; }
    public long? Min { get; init; }
    public long? Max { get; init; }
    /// <summary>Text platforms: this option takes the rest of the line (search words, keyword lists).</summary>
    public bool TakesRest { get; init; }
    /// <summary>Text platforms: only <c>name:value</c> fills it, never a bare word (no sensible positional reading).</summary>
    public bool NamedOnly { get; init; }
}

/// <summary>One command, defined once for every platform.</summary>
public sealed record CommandDefinition(string Name, string Description, IReadOnlyList<CommandOption> Options, bool AdminOnly = false)
{
    /// <summary>"/latest [topic] [source] [count]"-style usage line.</summary>
    public string Usage => "/" + Name + string.Concat(Options.Select(o => o.Required ? $" <{o.Name}>" : o.NamedOnly ? $" [{o.Name}:…]" : $" [{o.Name}]"));
}
