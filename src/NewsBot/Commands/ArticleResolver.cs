using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Text;

namespace NewsBot.Commands;

/// <summary>Finds the article a user means: a short id from a post, a link, or search words (best match).</summary>
public sealed class ArticleResolver(IArticleStore articles, ArticleSearch search)
{
    public async Task<Article?> ResolveAsync(string text, CancellationToken cancellationToken)
    {
        var trimmed = text.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "file")
        {
            return await articles.GetByUrlAsync(trimmed, cancellationToken)
                ?? (UrlCanonicalizer.Canonicalize(trimmed, null) is { } canonical ? await articles.GetByUrlAsync(canonical, cancellationToken) : null);
        }

        if (!trimmed.Contains(' ', StringComparison.Ordinal) && ShortIds.TryParse(trimmed, out var id) && await articles.GetAsync(id, cancellationToken) is { } byId)
        {
            return byId;
        }

        var found = await search.SearchAsync(trimmed, 1, cancellationToken);
        return found.Count > 0 ? found[0] : null;
    }
}
