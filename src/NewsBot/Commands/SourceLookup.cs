using System.Globalization;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands;

/// <summary>Finds a source from what a user typed: its id, its URL, or (part of) its name.</summary>
public sealed class SourceLookup(ISourceStore sources)
{
    public async Task<Source?> FindAsync(string text, CancellationToken cancellationToken)
    {
        var all = await sources.ListAsync(cancellationToken);
        var trimmed = text.Trim();
        if (long.TryParse(trimmed, NumberStyles.Integer, CultureInfo.InvariantCulture, out var id))
        {
            return all.FirstOrDefault(s => s.Id == id);
        }

        return all.FirstOrDefault(s => string.Equals(s.Url, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(s => string.Equals(s.DisplayName, trimmed, StringComparison.OrdinalIgnoreCase))
            ?? all.FirstOrDefault(s => s.DisplayName.Contains(trimmed, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Sources whose name or URL contains what was typed so far (every source when nothing was), in list order.</summary>
    public async Task<IReadOnlyList<Source>> SuggestAsync(string typed, int limit, CancellationToken cancellationToken)
    {
        var all = await sources.ListAsync(cancellationToken);
        return [.. all
            .Where(s => typed.Length == 0 || s.DisplayName.Contains(typed, StringComparison.OrdinalIgnoreCase) || s.Url.Contains(typed, StringComparison.OrdinalIgnoreCase))
            .Take(limit)];
    }
}
