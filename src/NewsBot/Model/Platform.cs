namespace NewsBot.Model;

/// <summary>The chat platforms a channel can live on. Stored as the lower-case name.</summary>
public enum Platform
{
    Console,
    Discord,
    Telegram,
}

public static class PlatformNames
{
    public static string ToKey(this Platform platform) => platform switch
    {
        Platform.Console => "console",
        Platform.Discord => "discord",
        Platform.Telegram => "telegram",
        _ => throw new ArgumentOutOfRangeException(nameof(platform), platform, null),
    };

    public static Platform Parse(string key) => key switch
    {
        "console" => Platform.Console,
        "discord" => Platform.Discord,
        "telegram" => Platform.Telegram,
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "Unknown platform."),
    };
}
