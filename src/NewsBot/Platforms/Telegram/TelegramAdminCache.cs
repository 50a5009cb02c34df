using Telegram.Bot;
using Telegram.Bot.Types.Enums;

namespace NewsBot.Platforms.Telegram;

/// <summary>
/// getChatMember answers for a short while, so a burst of admin commands costs one call. Bounded: when full,
/// expired entries go first, then everything (a cache miss only costs one more call).
/// </summary>
public sealed class TelegramAdminCache(TelegramBot bot, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    public const int Capacity = 4096;

    private readonly Dictionary<(long ChatId, long UserId), (ChatMemberStatus Status, DateTimeOffset Expires)> _entries = [];
    private readonly Lock _lock = new();

    public async Task<ChatMemberStatus> GetStatusAsync(long chatId, long userId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (_entries.TryGetValue((chatId, userId), out var entry) && entry.Expires > now)
            {
                return entry.Status;
            }
        }

        var member = await bot.Client.GetChatMember(chatId, userId, cancellationToken);
        lock (_lock)
        {
            if (_entries.Count >= Capacity)
            {
                foreach (var key in _entries.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
                {
                    _entries.Remove(key);
                }

                if (_entries.Count >= Capacity)
                {
                    _entries.Clear();
                }
            }

            _entries[(chatId, userId)] = (member.Status, now + Lifetime);
        }

        return member.Status;
    }
}
