using System.Collections.Concurrent;
using System.Globalization;
using NewsBot.Model;

namespace NewsBot.Knowledge;

/// <summary>
/// A post's title and summary in its subscription's summary language, written by the configured language model; the
/// original title is kept beside the translated one. Each article and language is asked for once and the answer
/// (or the failure) kept for a day, so a post to many channels costs one call, even when they are sent at the same
/// time (they share the call in flight). Without a model, or when the article is already in that language, the post
/// stays as it is.
/// </summary>
public sealed class SummaryTranslator(LlmSummarizer llm, TimeProvider time)
{
    private const int MaxCached = 10_000;
    private static readonly TimeSpan Freshness = TimeSpan.FromDays(1);

    private readonly ConcurrentDictionary<(string Article, string Language), Cached> _cache = new();

    public bool IsEnabled => llm.IsEnabled;

    public async Task<Post> TranslateAsync(Post post, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(post);
        if (post.SummaryLanguage is not { } wanted || post.Summary is not { } summary || !IsEnabled || SameLanguage(post.Language, wanted))
        {
            return post;
        }

        var now = time.GetUtcNow();
        if (_cache.Count >= MaxCached)
        {
            _cache.Clear();
        }

        // Only the entry that wins is ever started (Lazy); the call is shared, so no one caller's token cancels it.
        var title = post.Title;
        var cached = _cache.AddOrUpdate((post.ShortId, wanted), _ => Start(), (_, old) => now - old.At >= Freshness ? Start() : old);
        var translated = await cached.Translation.Value.WaitAsync(cancellationToken);
        return translated is { } translation
            ? post with { Title = translation.Title, Summary = translation.Summary, OriginalTitle = title }
            : post;

        Cached Start() => new(now, new Lazy<Task<(string Title, string Summary)?>>(() => llm.TranslateAsync(title, summary, CultureInfo.GetCultureInfo(wanted), CancellationToken.None)));
    }

    /// <summary>Whether a summary language asks for anything: "de" wanted for a "de" article does not.</summary>
    private static bool SameLanguage(string? article, string wanted) =>
        article is not null && string.Equals(article.Split('-')[0], wanted.Split('-')[0], StringComparison.OrdinalIgnoreCase);

    private sealed record Cached(DateTimeOffset At, Lazy<Task<(string Title, string Summary)?>> Translation);
}
