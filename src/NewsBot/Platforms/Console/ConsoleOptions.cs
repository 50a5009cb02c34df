using System.ComponentModel.DataAnnotations;

namespace NewsBot.Platforms.Console;

/// <summary>The "NewsBot:Console" section.</summary>
public sealed class ConsoleOptions
{
    public const string Section = "NewsBot:Console";

    /// <summary>auto: on when no Discord or Telegram token is configured; on; off.</summary>
    [RegularExpression("^(auto|on|off)$", ErrorMessage = "NewsBot:Console:Enabled must be auto, on or off.")]
    public string Enabled { get; set; } = "auto";
}

/// <summary>The console's input and output; tests give their own.</summary>
public sealed class ConsoleIO(TextReader input, TextWriter output)
{
    public TextReader In { get; } = input;

    public TextWriter Out { get; } = output;
}
