using System.Globalization;
using Fluid;
using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.Platforms.Console;

/// <summary>
/// Prints posts as readable cards, or in a subscription's template as plain text (its markup shows as written), so
/// a template can be tried offline. The console has no rate limit and never fails permanently.
/// </summary>
public sealed class ConsolePublisher(ConsoleIO io, PostTemplateRenderer templates) : IPlatformPublisher
{
    private readonly Lock _write = new();
    private long _messages;

    public Platform Platform => Platform.Console;

    public RateLimit? GlobalLimit => null;

    public RateLimit? ChannelLimit(Channel channel) => null;

    public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(Write(Compose(post, channel)));

    /// <summary>The post as this console prints it: its template's text when it has one that renders, else the card.</summary>
    public string Compose(Post post, Channel channel) =>
        templates.RenderForPost(post.Template?.Text, post, channel.TimeZone, NullEncoder.Default, int.MaxValue) is { } rendered
            ? ConsoleRenderer.RenderTemplated(rendered)
            : ConsoleRenderer.RenderPost(post, ChannelTexts.Of(channel));

    public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(Write(ConsoleRenderer.RenderDigest(digest, ChannelTexts.Of(channel))));

    public Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken) =>
        Task.FromResult(Write("! " + text + Environment.NewLine));

    /// <summary>Writes a command reply with the same lock, so replies and posts never interleave.</summary>
    public void WriteReply(string text) => Write(text);

    private PublishResult Write(string text)
    {
        lock (_write)
        {
            io.Out.Write(text);
            io.Out.Flush();
        }

        return PublishResult.Sent(Interlocked.Increment(ref _messages).ToString(CultureInfo.InvariantCulture));
    }
}
