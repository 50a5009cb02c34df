using NewsBot.Knowledge;

namespace NewsBot.Tests.Knowledge;

public class StoryFingerprintTests
{
    public static TheoryData<string, string, string, string> SameStory => new()
    {
        {
            "Earthquake of magnitude 7.1 strikes off Japan's coast",
            "A powerful earthquake with a magnitude of 7.1 struck off the coast of northeastern Japan on Friday, the meteorological agency said, triggering a tsunami warning.",
            "Tsunami warning issued after strong quake hits northeast Japan",
            "Japan issued a tsunami warning on Friday after a 7.1 magnitude earthquake struck off its northeastern coast, officials said."
        },
        {
            "Central bank raises interest rates to 4.5% as inflation persists",
            "The central bank raised its key interest rate by a quarter point to 4.5% on Thursday, saying inflation remained too high.",
            "Rates go up again: bank lifts borrowing costs to 4.5%",
            "Borrowing costs rose to 4.5% on Thursday after the central bank decided on another quarter point rise in its key interest rate to fight inflation."
        },
        {
            "Striker Mendes joins Porto in record transfer",
            "Porto have signed striker Luis Mendes from Benfica for a club record fee of 60 million euros, the club announced on Monday.",
            "Benfica sell Luis Mendes to rivals Porto for €60m",
            "Benfica striker Luis Mendes has completed a record 60 million euros move to Porto, the clubs confirmed on Monday."
        },
    };

    public static TheoryData<string, string, string, string> DifferentStories => new()
    {
        {
            "Earthquake of magnitude 7.1 strikes off Japan's coast",
            "A powerful earthquake with a magnitude of 7.1 struck off the coast of northeastern Japan on Friday, the meteorological agency said, triggering a tsunami warning.",
            "Japan's economy shrinks for second quarter in a row",
            "Japan's economy contracted in the three months to September, official figures showed on Friday, pushing the country into a technical recession."
        },
        {
            "Central bank raises interest rates to 4.5% as inflation persists",
            "The central bank raised its key interest rate by a quarter point to 4.5% on Thursday, saying inflation remained too high.",
            "Central bank governor warns of risks in housing market",
            "The governor of the central bank said on Tuesday that rising house prices posed a risk to financial stability and urged lenders to be careful."
        },
        {
            "Striker Mendes joins Porto in record transfer",
            "Porto have signed striker Luis Mendes from Benfica for a club record fee of 60 million euros, the club announced on Monday.",
            "Porto beat Benfica 2-1 in league derby",
            "Porto came from behind to beat Benfica 2-1 on Sunday and move three points clear at the top of the league."
        },
    };

    [Theory]
    [MemberData(nameof(SameStory))]
    public void IsSameStory_SameEventFromTwoOutlets_ReturnsTrue(string titleA, string leadA, string titleB, string leadB) =>
        Assert.True(StoryFingerprint.IsSameStory(titleA, leadA, titleB, leadB), $"similarity {StoryFingerprint.Similarity(titleA, leadA, titleB, leadB):F2}");

    [Theory]
    [MemberData(nameof(DifferentStories))]
    public void IsSameStory_DifferentEventsOnOneTopic_ReturnsFalse(string titleA, string leadA, string titleB, string leadB) =>
        Assert.False(StoryFingerprint.IsSameStory(titleA, leadA, titleB, leadB), $"similarity {StoryFingerprint.Similarity(titleA, leadA, titleB, leadB):F2}");

    [Fact]
    public void Compute_SyndicatedCopyWithSmallEdit_IsNearDuplicate()
    {
        const string lead = "A powerful earthquake with a magnitude of 7.1 struck off the coast of northeastern Japan on Friday, the meteorological agency said, triggering a tsunami warning for the coast.";

        var original = StoryFingerprint.Compute("Earthquake of magnitude 7.1 strikes off Japan's coast", lead);
        var copy = StoryFingerprint.Compute("Earthquake of magnitude 7.1 strikes off Japan coast", lead.Replace("Friday", "Friday morning", StringComparison.Ordinal));
        var other = StoryFingerprint.Compute("Japan's economy shrinks for second quarter in a row", "Japan's economy contracted in the three months to September.");

        Assert.True(StoryFingerprint.IsNearDuplicate(original, copy), $"distance {StoryFingerprint.Distance(original, copy)}");
        Assert.False(StoryFingerprint.IsNearDuplicate(original, other));
    }

    [Fact]
    public void FindSameStory_Candidates_PicksTheSameEvent()
    {
        var same = SameStory.First().Data;
        var different = DifferentStories.Select(row => row.Data).ToList();
        var candidates = new List<StoryCandidate>
        {
            new(1, different[0].Item3, different[0].Item4, StoryFingerprint.Compute(different[0].Item3, different[0].Item4)),
            new(2, same.Item3, same.Item4, StoryFingerprint.Compute(same.Item3, same.Item4)),
            new(3, different[1].Item3, different[1].Item4, null),
        };

        Assert.Equal(2, StoryFingerprint.FindSameStory(same.Item1, same.Item2, candidates));
        Assert.Null(StoryFingerprint.FindSameStory(same.Item1, same.Item2, [candidates[0], candidates[2]]));
    }

    [Fact]
    public void FindSameStory_NearDuplicateFingerprint_MatchesWithoutText()
    {
        var (title, lead) = ("Earthquake of magnitude 7.1 strikes off Japan's coast", "A powerful earthquake struck off the coast of Japan on Friday.");

        var found = StoryFingerprint.FindSameStory(title, lead, [new StoryCandidate(7, "", null, StoryFingerprint.Compute(title, lead))]);

        Assert.Equal(7, found);
    }

    [Fact]
    public void Compute_SameInput_IsStable()
    {
        Assert.Equal(StoryFingerprint.Compute("Title", "Lead text here."), StoryFingerprint.Compute("Title", "Lead text here."));
        Assert.NotEqual(0, StoryFingerprint.Compute("北京今天下雪", "很多人出门拍照。"));
    }

    [Fact]
    public void Lead_LongText_TakesFirstTwoSentences() =>
        Assert.Equal("One is here. Two is here.", StoryFingerprint.Lead("One is here. Two is here.\n\nThree is here."));
}
