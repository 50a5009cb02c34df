using System.Globalization;
using System.Text;
using NewsBot.Model;
using NewsBot.Publishing;

namespace NewsBot.CrashHarness;

/// <summary>
/// A platform without an idempotency key whose "accepted" is durable: the key goes to an append-only file and is
/// flushed to disk before the answer, so after a kill the file holds every post the platform took. Each send first
/// waits <paramref name="latency"/>, as a real platform's round trip does, so kills land inside a run, not after it.
/// </summary>
public sealed class AppendingPublisher(string path, TimeSpan latency) : IPlatformPublisher, IDisposable
{
    private readonly Lazy<FileStream> _file = new(() => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite));
    private readonly Lock _lock = new();
    private long _messages;

    public Platform Platform => Platform.Discord;

    public RateLimit? GlobalLimit => null;

    public RateLimit? ChannelLimit(Channel channel) => null;

    public Task<PublishResult> PublishAsync(Channel channel, Post post, string idempotencyKey, CancellationToken cancellationToken) => Accept(idempotencyKey);

    public Task<PublishResult> PublishDigestAsync(Channel channel, DigestPost digest, string idempotencyKey, CancellationToken cancellationToken) => Accept(idempotencyKey);

    public Task<PublishResult> NotifyAsync(Channel channel, string text, CancellationToken cancellationToken) => Accept("notice");

    public void Dispose()
    {
        if (_file.IsValueCreated)
        {
            _file.Value.Dispose();
        }
    }

    private async Task<PublishResult> Accept(string key)
    {
        await Task.Delay(latency);
        lock (_lock)
        {
            // One write per line, so a kill never leaves half a key.
            _file.Value.Write(Encoding.ASCII.GetBytes(key + "\n"));
            _file.Value.Flush(flushToDisk: true);
        }

        Console.WriteLine("sent");
        return PublishResult.Sent(Interlocked.Increment(ref _messages).ToString(CultureInfo.InvariantCulture));
    }
}
