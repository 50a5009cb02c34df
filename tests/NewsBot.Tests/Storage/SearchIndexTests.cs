using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Model;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Storage;

/// <summary>
/// User input through the parser and each engine's full-text index (FTS5, tsvector): hostile input never raises,
/// and ordinary queries find the same articles on both engines.
/// </summary>
public sealed class SearchIndexTests(PostgresServer server)
{
    private static readonly (string Title, string Summary, string Text)[] Articles =
    [
        ("Climate change summit opens in Paris", "Leaders meet on emissions.", "The climate summit began on Monday."),
        ("Apple unveils new iPhone", "A new phone.", "Apple showed the iPhone in California."),
        ("U.S. election results", "Votes counted.", "The U.S. election ended with a recount."),
        ("C++ compiler released", "Faster builds.", "A new compiler for C++ is out."),
        ("Paris fashion week", "Designers gather.", "Climate was not on the agenda."),
        ("Élan vital à Genève", "Café crème.", "Über die Straße."),
    ];

    public static TheoryData<string, string> HostileInputs()
    {
        string[] inputs =
        [
            "\"", "\"unbalanced quote", "(", ")", "((climate", "climate)", "a AND", "OR", "AND OR NOT NEAR", "NOT climate", "climate NOT",
            "*", "clim*", "^start", "title:", "title:climate", "nosuchcolumn:climate", "a:b:c", "{title summary}: climate", "NEAR(climate paris, 5)",
            "-", "--", "-climate", "'", "\\", "a\"b", "\"\"", "+climate", "🙂", "x\0y", "; DROP TABLE articles; --", "title:\"climate change\"",
            "'); SELECT pg_sleep(1); --", "climate:*", "climate & paris | !apple", "<->", "climate <-> paris", "a:* b:A", "\\'", "!!",
        ];
        var data = new TheoryData<string, string>();
        foreach (var engine in StorageEngines.All)
        {
            foreach (var input in inputs)
            {
                data.Add(engine, input);
            }
        }

        return data;
    }

    public static TheoryData<string, string, string[]> UserQueries()
    {
        (string Input, string[] Titles)[] queries =
        [
            ("climate", ["Climate change summit opens in Paris", "Paris fashion week"]),
            ("clim", ["Climate change summit opens in Paris", "Paris fashion week"]),
            ("\"climate change\"", ["Climate change summit opens in Paris"]),
            ("\"change climate\"", []),
            ("apple OR compiler", ["Apple unveils new iPhone", "C++ compiler released"]),
            ("paris -summit", ["Paris fashion week"]),
            ("title:climate", ["Climate change summit opens in Paris"]),
            ("summary:emissions", ["Climate change summit opens in Paris"]),
            ("title:emissions", []),
            ("C++", ["C++ compiler released"]),
            ("apple ", ["Apple unveils new iPhone"]),
            ("appl ", []),
            ("geneve", ["Élan vital à Genève"]),
            ("ÉLAN", ["Élan vital à Genève"]),
            ("strasse", []),
            ("über", ["Élan vital à Genève"]),
        ];
        var data = new TheoryData<string, string, string[]>();
        foreach (var engine in StorageEngines.All)
        {
            foreach (var (input, titles) in queries)
            {
                data.Add(engine, input, titles);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public async Task Search_HostileInput_NeverRaises(string engine, string input)
    {
        using var bed = await StoreAsync(engine);

        var found = await SearchAsync(bed, input);

        Assert.True(found.Count <= Articles.Length);
    }

    [Theory]
    [MemberData(nameof(UserQueries))]
    public async Task Search_UserQuery_FindsTheSameArticlesOnEachEngine(string engine, string input, string[] expected)
    {
        using var bed = await StoreAsync(engine);

        var found = await SearchAsync(bed, input);

        Assert.Equal(expected.Order(), found.Order());
    }

    private async Task<DeliveryTestBed> StoreAsync(string engine)
    {
        var bed = await DeliveryTestBed.CreateAsync(await StorageEngines.SettingsAsync(engine, server));
        var source = await bed.AddSourceAsync("herald");
        var drafts = Articles.Select((a, i) => ((ArticleDraft Draft, IReadOnlyList<string> Keys))(new ArticleDraft
        {
            Source = source,
            DedupKey = $"guid:{i}",
            Title = a.Title,
            Summary = a.Summary,
            Text = a.Text,
            FirstSeenAt = bed.Clock.GetUtcNow(),
        }, [$"guid:{i}"])).ToList();
        await bed.Services.GetRequiredService<IArticleStore>().IngestAsync(new IngestBatch(source, drafts, []), bed.Services.GetRequiredService<IDeliveryPlanner>(), TestContext.Current.CancellationToken);
        return bed;
    }

    private static async Task<IReadOnlyList<string>> SearchAsync(DeliveryTestBed bed, string input) =>
        (await bed.Services.GetRequiredService<ArticleSearch>().SearchAsync(input, 10, TestContext.Current.CancellationToken)).Select(a => a.Title).ToList();
}
