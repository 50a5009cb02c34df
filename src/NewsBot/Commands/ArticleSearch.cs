using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands;

/// <summary>Search over stored articles from raw user input, parsed into a <see cref="TextQuery"/> (never passed on as query syntax).</summary>
public sealed class ArticleSearch(ISearchIndex index)
{
    public async Task<List<Article>> SearchAsync(string userInput, int limit, CancellationToken cancellationToken)
    {
        var query = SearchQuery.Parse(userInput);
        return query is null ? [] : await index.SearchAsync(query, limit, cancellationToken);
    }
}
