using NewsBot.Knowledge;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands;

/// <summary>Search over stored articles from raw user input, which never reaches FTS5 unquoted.</summary>
public sealed class ArticleSearch(ArticleStore articles)
{
    private static readonly string[] Columns = ["title", "summary", "text"];

    public async Task<List<Article>> SearchAsync(string userInput, int limit, CancellationToken cancellationToken)
    {
        var match = SearchQuery.ToFts5Match(userInput, Columns);
        return match is null ? [] : await articles.SearchAsync(match, limit, cancellationToken);
    }
}
