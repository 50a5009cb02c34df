namespace NewsBot.Discord;

/// <summary>Placeholder until the client lands.</summary>
public sealed class DiscordClientOptions
{
    public string ApiBaseUrl { get; set; } = "https://discord.com/api/v10";
}
