namespace NewsBot.Model;

/// <summary>
/// A subscription's own layout, in Liquid. <see cref="Text"/> is the Telegram message or the Discord embed
/// description; <see cref="Title"/>, <see cref="Footer"/> and <see cref="Colour"/> shape the Discord embed only.
/// The literal text is the platform's markup (Telegram HTML, Discord markdown); every value a placeholder outputs is
/// escaped for the platform by its adapter, so feed text can never add markup, links or pings.
/// </summary>
public sealed record PostTemplate(string Text, string? Title = null, string? Footer = null, int? Colour = null);
