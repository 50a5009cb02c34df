using System.Globalization;
using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.Platforms.Console;

/// <summary>Prints posts as readable cards. The console has no rate limit and never fails permanently.</summary>
public sealed class ConsolePublisher(ConsoleIO io) : IPlatformPublisher
{
    private readonly Lock _write = new();
    private long _messages;

    public Platform Platform => Platform.Console;

    public PlatformLimits Limits => PlatformLimits.None;

    public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(Write(ConsoleRenderer.RenderPost(post)));

    public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken) =>
        Task.FromResult(Write(ConsoleRenderer.RenderDigest(digest)));

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
