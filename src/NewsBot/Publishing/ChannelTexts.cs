using NewsBot.Localization;
using NewsBot.Model;

namespace NewsBot.Publishing;

public static class ChannelTexts
{
    /// <summary>The language of a channel's posts and notices: its /settings language, else the one the platform reports for the place, else English.</summary>
    public static Texts Of(Channel channel) => Texts.For(channel.Language, channel.PlatformLocale);
}
