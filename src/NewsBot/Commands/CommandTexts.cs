using NewsBot.Localization;

namespace NewsBot.Commands;

/// <summary>The catalogue's descriptions in a language.</summary>
public static class CommandTexts
{
    public static string Describe(this Texts texts, CommandDefinition command) => texts[$"Command.{command.Name}"];

    /// <summary>Option.{command}.{option}, else the shared Option.{option} (count, article).</summary>
    public static string Describe(this Texts texts, CommandDefinition command, CommandOption option)
    {
        var own = $"Option.{command.Name}.{option.Name}";
        var text = texts[own];
        return text == own ? texts[$"Option.{option.Name}"] : text;
    }
}
