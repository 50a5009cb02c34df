using NewsBot.Storage;

namespace NewsBot.Tests.Storage;

public sealed class SearchRankerTests
{
    private const long Now = 1_780_000_000_000;
    private const long Day = 86_400_000;

    [Fact]
    public void WantedTerms_Query_ReadsFieldsPrefixesAndLeavesExclusionsOut()
    {
        var query = new TextQuery(
            [[new SearchTerm("Flood \"barriers\"", SearchField.Title)], [new SearchTerm("rain"), new SearchTerm("storm", Prefix: true)]],
            [new SearchTerm("drill"), new SearchTerm("test")]);

        var terms = SearchRanker.WantedTerms(query);

        Assert.Equal(["flood barriers", "rain", "storm"], terms.Select(t => string.Join(' ', t.Tokens)));
        Assert.Equal([0, -1, -1], terms.Select(t => t.Column));
        Assert.Equal([false, false, true], terms.Select(t => t.Prefix));
    }

    [Fact]
    public void WithoutPrefixes_PrefixTerm_BecomesWholeWord()
    {
        var query = new TextQuery([[new SearchTerm("a*b")], [new SearchTerm("storm", Prefix: true)]], []);

        Assert.Equal([false, false], query.WithoutPrefixes().WantedTerms.Select(t => t.Prefix));
        Assert.Equal(["a*b", "storm"], query.WithoutPrefixes().WantedTerms.Select(t => t.Text));
    }

    [Fact]
    public void Rank_TitleHitAndBodyHitSameAge_TitleFirst()
    {
        var ranked = Rank(All("flood"), [1, 1],
            Candidate(1, Now, "Council meets on Tuesday", null, "The flood barriers were discussed at length by the council."),
            Candidate(2, Now, "Flood barriers approved", null, "The council discussed the barriers at length on Tuesday."));

        Assert.Equal([2L, 1L], ranked);
    }

    [Fact]
    public void Rank_SameRelevance_NewerFirst()
    {
        var ranked = Rank(All("flood"), [1, 1],
            Candidate(1, Now - (40 * Day), "Flood barriers approved", null, null),
            Candidate(2, Now - Day, "Flood barriers approved", null, null));

        Assert.Equal([2L, 1L], ranked);
    }

    [Fact]
    public void Rank_EitherOfTwoWords_RareWordWeighsMore()
    {
        var ranked = Rank(TextQuery.AnyOf([new SearchTerm("council"), new SearchTerm("glacier")]), [50_000, 20],
            Candidate(1, Now, "Council approves budget", null, null),
            Candidate(2, Now, "Glacier retreat measured", null, null));

        Assert.Equal([2L, 1L], ranked);
    }

    [Fact]
    public void Rank_AccentedText_MatchesFoldedWord()
    {
        var ranked = Rank(All("cafe"), [1, 1],
            Candidate(1, Now, "Bakery opens", null, null),
            Candidate(2, Now - Day, "Le Café du Marché rouvre", null, null));

        Assert.Equal(2L, ranked[0]);
    }

    [Fact]
    public void Rank_Phrase_CountsOnlyAdjacentWords()
    {
        var ranked = Rank(All("bike lanes"), [1, 1],
            Candidate(1, Now, "Lanes for the bike race", null, null),
            Candidate(2, Now - Day, "New bike lanes on Main Street", null, null));

        Assert.Equal(2L, ranked[0]);
    }

    [Fact]
    public void Rank_PrefixBeingTyped_MatchesLongerWordsOnly()
    {
        var ranked = Rank(new TextQuery([[new SearchTerm("flood", Prefix: true)]], []), [null, null],
            Candidate(1, Now, "Rain and more rain", null, "No floodwater yet; a flood of letters though."),
            Candidate(2, Now - Day, "Flooding closes road", null, null),
            Candidate(3, Now, "Outflood is not a word", null, null));

        Assert.Equal([2L, 1L, 3L], ranked);
    }

    private static TextQuery All(string text) => new([[new SearchTerm(text)]], []);

    private static IReadOnlyList<long> Rank(TextQuery query, long?[] frequencies, params SearchCandidate[] candidates)
    {
        var terms = SearchRanker.WantedTerms(query);
        return SearchRanker.Rank(terms, candidates, frequencies.Take(terms.Count).ToArray(), 100_000, Now, 10);
    }

    private static SearchCandidate Candidate(long id, long sortAt, string title, string? summary, string? text) => new(id, sortAt, [title, summary, text]);
}
