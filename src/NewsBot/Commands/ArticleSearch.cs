using System.Text;
using NewsBot.Model;
using NewsBot.Storage;

namespace NewsBot.Commands;

/// <summary>Search over stored articles from raw user input, which never reaches FTS5 unquoted.</summary>
public sealed class ArticleSearch(ArticleStore articles)
{
    public async Task<List<Article>> SearchAsync(string userInput, int limit, CancellationToken cancellationToken)
    {
        var match = ToMatch(userInput);
        return match is null ? [] : await articles.SearchAsync(match, limit, cancellationToken);
    }

    /// <summary>Every word becomes a quoted FTS5 string, so operators, quotes and brackets are only text.</summary>
    private static string? ToMatch(string input)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var c in input.Append(' '))
        {
            if (char.IsLetterOrDigit(c) || c is '\'' or '-' && word.Length > 0)
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                terms.Add("\"" + word.ToString().Replace("\"", "\"\"", StringComparison.Ordinal) + "\"");
                word.Clear();
            }
        }

        return terms.Count == 0 ? null : string.Join(' ', terms.Take(32));
    }
}
