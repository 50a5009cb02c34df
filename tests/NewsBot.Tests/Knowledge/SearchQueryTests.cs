using Microsoft.Data.Sqlite;
using NewsBot.Knowledge;
using NewsBot.Storage;
using NewsBot.Storage.Sqlite;

namespace NewsBot.Tests.Knowledge;

/// <summary>Parses user input and runs it, as the SQLite engine writes it, against a real FTS5 table shaped like the store's articles_fts.</summary>
public sealed class SearchQueryTests : IDisposable
{
    private readonly SqliteConnection _connection;

    public SearchQueryTests()
    {
        _connection = new SqliteConnection("Data Source=:memory:");
        _connection.Open();
        Execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, summary, text)");
        Insert(1, "Climate change summit opens in Paris", "Leaders meet on emissions.", "The climate summit began on Monday.");
        Insert(2, "Apple unveils new iPhone", "A new phone.", "Apple showed the iPhone in California.");
        Insert(3, "U.S. election results", "Votes counted.", "The U.S. election ended with a recount.");
        Insert(4, "C++ compiler released", "Faster builds.", "A new compiler for C++ is out.");
        Insert(5, "Paris fashion week", "Designers gather.", "Climate was not on the agenda.");
    }

    public void Dispose() => _connection.Dispose();

    [Theory]
    [InlineData("\"")]
    [InlineData("\"unbalanced quote")]
    [InlineData("(")]
    [InlineData(")")]
    [InlineData("((climate")]
    [InlineData("climate)")]
    [InlineData("a AND")]
    [InlineData("OR")]
    [InlineData("AND OR NOT NEAR")]
    [InlineData("NOT climate")]
    [InlineData("climate NOT")]
    [InlineData("climate OR OR paris")]
    [InlineData("*")]
    [InlineData("clim*")]
    [InlineData("^start")]
    [InlineData("^")]
    [InlineData("title:")]
    [InlineData("title:climate")]
    [InlineData("nosuchcolumn:climate")]
    [InlineData("a:b:c")]
    [InlineData("{title summary}: climate")]
    [InlineData("NEAR(climate paris, 5)")]
    [InlineData("-")]
    [InlineData("--")]
    [InlineData("-climate")]
    [InlineData("'")]
    [InlineData("\\")]
    [InlineData("a\"b")]
    [InlineData("\"\"")]
    [InlineData("+climate")]
    [InlineData("climate + paris")]
    [InlineData("🙂")]
    [InlineData("气候")]
    [InlineData("x\0y")]
    [InlineData("; DROP TABLE articles_fts; --")]
    [InlineData("title:\"climate change\"")]
    [InlineData("\"climate\"\"change\"")]
    public void Parse_HostileInput_NeverRaisesSyntaxError(string input)
    {
        var match = Match(input);

        if (match is not null)
        {
            _ = Search(match);
        }
    }

    [Theory]
    [InlineData("climate", new long[] { 1, 5 })]
    [InlineData("clim", new long[] { 1, 5 })]
    [InlineData("\"climate change\"", new long[] { 1 })]
    [InlineData("\"change climate\"", new long[0])]
    [InlineData("climate paris", new long[] { 1, 5 })]
    [InlineData("apple OR compiler", new long[] { 2, 4 })]
    [InlineData("paris -summit", new long[] { 5 })]
    [InlineData("paris NOT summit", new long[] { 5 })]
    [InlineData("title:climate", new long[] { 1 })]
    [InlineData("u.s. election", new long[] { 3 })]
    [InlineData("C++", new long[] { 4 })]
    [InlineData("(climate", new long[] { 1, 5 })]
    [InlineData("\"climate chan", new long[] { 1 })]
    [InlineData("apple ", new long[] { 2 })]
    [InlineData("appl ", new long[0])]
    public void Parse_UserQuery_FindsSensibleRows(string input, long[] expected)
    {
        var match = Match(input);

        Assert.NotNull(match);
        Assert.Equal(expected, Search(match));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("-climate")]
    [InlineData("*** ^^^ ()")]
    public void Parse_NothingToSearch_ReturnsNull(string? input) => Assert.Null(Match(input));

    [Fact]
    public void Parse_TrailingWord_IsPrefixOnlyWhileTyping()
    {
        Assert.Equal("\"climate\" AND \"chan\"*", Match("climate chan"));
        Assert.Equal("\"climate\" AND \"chan\"", Match("climate chan "));
    }

    [Fact]
    public void Parse_MixedInput_ReadsPhrasesFieldsAlternativesAndExclusions()
    {
        var query = SearchQuery.Parse("title:\"flood barriers\" rain OR storm -drill NOT test");

        Assert.NotNull(query);
        Assert.Equal(
            [[new SearchTerm("flood barriers", SearchField.Title)], [new SearchTerm("rain"), new SearchTerm("storm")]],
            query.AllOf.Select(group => group.ToArray()));
        Assert.Equal([new SearchTerm("drill"), new SearchTerm("test", Prefix: true)], query.NoneOf);
    }

    private static string? Match(string? input) => SearchQuery.Parse(input) is { } query ? Fts5Match.Of(query) : null;

    private List<long> Search(string match)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH $match ORDER BY rowid";
        command.Parameters.AddWithValue("$match", match);
        using var reader = command.ExecuteReader();
        var rows = new List<long>();
        while (reader.Read())
        {
            rows.Add(reader.GetInt64(0));
        }

        return rows;
    }

    private void Insert(long id, string title, string summary, string text)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "INSERT INTO articles_fts(rowid, title, summary, text) VALUES ($id, $title, $summary, $text)";
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$title", title);
        command.Parameters.AddWithValue("$summary", summary);
        command.Parameters.AddWithValue("$text", text);
        command.ExecuteNonQuery();
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
