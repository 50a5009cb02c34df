namespace NewsBot.Discord.Rest;

/// <summary>
/// Counts 401/403/429 answers over a rolling 10 minutes: 10,000 of them per IP earn a Cloudflare ban
/// (rate-limits doc, "Invalid Request Limit"). One slot per second keeps memory fixed.
/// </summary>
internal sealed class InvalidRequestWindow
{
    public const int Limit = 10_000;
    private const int Slots = 600;

    private readonly long[] _slotSecond = new long[Slots];
    private readonly int[] _slotCount = new int[Slots];
    private readonly Lock _lock = new();

    public void Record(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var index = (int)(second % Slots);
        lock (_lock)
        {
            if (_slotSecond[index] != second)
            {
                _slotSecond[index] = second;
                _slotCount[index] = 0;
            }

            _slotCount[index]++;
        }
    }

    public int Count(DateTimeOffset now)
    {
        var second = now.ToUnixTimeSeconds();
        var total = 0;
        lock (_lock)
        {
            for (var i = 0; i < Slots; i++)
            {
                if (second - _slotSecond[i] < Slots)
                {
                    total += _slotCount[i];
                }
            }
        }

        return total;
    }
}
