namespace NewsBot.Fakes.Telegram;

/// <summary>
/// The Bot FAQ's send limits (approximate, as Telegram states them): about one message a second per chat with short
/// bursts, 20 a minute per group, about 30 a second overall. Null turns a limit off.
/// </summary>
public sealed record FakeTelegramRateLimits
{
    /// <summary>Messages one chat may receive within <see cref="PerChatWindow"/>: a burst of this size, then ~1/s.</summary>
    public int? PerChatBurst { get; init; } = 3;

    public TimeSpan PerChatWindow { get; init; } = TimeSpan.FromSeconds(3);

    public int? PerGroupPerMinute { get; init; } = 20;

    public int? GlobalPerSecond { get; init; } = 30;

    public static FakeTelegramRateLimits Realistic { get; } = new();

    public static FakeTelegramRateLimits None { get; } = new() { PerChatBurst = null, PerGroupPerMinute = null, GlobalPerSecond = null };
}

/// <summary>A sliding-window log: at most <c>limit</c> events within any <c>window</c>.</summary>
internal sealed class SlidingWindow(int limit, TimeSpan window)
{
    private readonly Queue<DateTimeOffset> _events = new();

    /// <summary>How long until one more event fits; zero when it fits now.</summary>
    public TimeSpan WaitTime(DateTimeOffset now)
    {
        while (_events.Count > 0 && _events.Peek() + window <= now)
        {
            _events.Dequeue();
        }

        return _events.Count < limit ? TimeSpan.Zero : _events.Peek() + window - now;
    }

    public void Record(DateTimeOffset now) => _events.Enqueue(now);
}
