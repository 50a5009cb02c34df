using System.Globalization;

namespace NewsBot.Discord.Gateway;

/// <summary>
/// Which shards a process runs, written as <c>ids/count</c>: <c>"0-3/8"</c> is shards 0 to 3 of 8, <c>"0,2,5-7/8"</c>
/// lists several. Every process of a bot must use the same count, so a subset always names it.
/// </summary>
public sealed record ShardSelection(IReadOnlyList<int> Ids, int Count)
{
    public const string Example = "\"0-3/8\" (shards 0 to 3 of 8) or \"0,2/4\"";

    /// <summary>Parses <paramref name="text"/>; on failure <paramref name="problem"/> says why (without naming the setting).</summary>
    public static bool TryParse(string text, out ShardSelection? selection, out string? problem)
    {
        selection = null;
        problem = null;
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            problem = "is not a shard set: write the shard ids, a slash and the shard count";
            return false;
        }

        var ids = new SortedSet<int>();
        foreach (var part in text[..slash].Split(',', StringSplitOptions.TrimEntries))
        {
            var dash = part.IndexOf('-', StringComparison.Ordinal);
            var first = dash < 0 ? part : part[..dash];
            var last = dash < 0 ? part : part[(dash + 1)..];
            if (!int.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var from)
                || !int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out var to) || to < from)
            {
                problem = $"has \"{part}\", which is neither a shard id nor a range such as 0-3";
                return false;
            }

            if (to >= count)
            {
                problem = $"names shard {to}, but shard ids of {count} shards run from 0 to {count - 1}";
                return false;
            }

            for (var id = from; id <= to; id++)
            {
                ids.Add(id);
            }
        }

        selection = new ShardSelection([.. ids], count);
        return true;
    }

    /// <summary>Every shard of <paramref name="count"/>.</summary>
    public static ShardSelection All(int count) => new([.. Enumerable.Range(0, count)], count);

    public override string ToString() => string.Join(',', Ids) + "/" + Count.ToString(CultureInfo.InvariantCulture);
}
