using NewsBot.Reading;

namespace NewsBot.Tests.Reading;

public sealed class SampleArticleTests
{
    private static readonly string[] OtherSamples = ["bike-lanes-reaction.html", "solar-library.html", "battery-recycling.html", "riverside-floods.html"];

    private static ExtractedArticle ExtractSample(string name)
    {
        var path = ReadingFiles.SamplePath(name);
        return new ArticleExtractor().Extract(File.ReadAllText(path), new Uri(path));
    }

    [Fact]
    public void Extract_BikeLanesSample_KeepsBodyOnceWithoutBoilerplate()
    {
        var article = ExtractSample("riverside-bike-lanes.html");

        Assert.Equal(9, article.Paragraphs.Count);
        Assert.StartsWith("Riverside's council voted seven to two", article.Paragraphs[0], StringComparison.Ordinal);
        Assert.Equal("Parking and deliveries", article.Paragraphs[2]);
        Assert.Equal("Works: March to August, one lane of traffic kept open", article.Paragraphs[^1]);
        foreach (var sentence in new[] { "Riverside's council voted seven to two", "The plan replaces the painted", "To make room, the street loses" })
        {
            Assert.Single(article.Paragraphs, paragraph => paragraph.Contains(sentence, StringComparison.Ordinal));
        }

        foreach (var boilerplate in new[] { "cookies", "Local news", "Share", "Most read", "tortoise", "pedal_pusher", "Where exactly",
            "morning briefing", "All rights reserved", "Advertisement", "Related articles", "Maya Okafor" })
        {
            Assert.DoesNotContain(boilerplate, article.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Extract_BikeLanesSample_FindsAllRelatedSamplesAsAbsoluteUrls()
    {
        var article = ExtractSample("riverside-bike-lanes.html");

        var expected = OtherSamples.Select(name => new Uri(ReadingFiles.SamplePath(name)).ToString()).ToList();
        Assert.Equal(expected, article.Related.Select(link => link.Url));
        Assert.Equal("Cyclists cheer Main Street lanes while shop owners fear for parking", article.Related[0].Title);
        Assert.All(article.Related, link => Assert.True(Uri.IsWellFormedUriString(link.Url, UriKind.Absolute), link.Url));
    }

    [Fact]
    public void Extract_BikeLanesSample_ReadsTopicsAndMetadata()
    {
        var article = ExtractSample("riverside-bike-lanes.html");

        // Tag links first, then keywords and article:tag metadata not already there.
        Assert.Equal(["Transport", "Cycling", "Riverside council", "Main Street"], article.TopicCandidates);
        Assert.Equal("Riverside council approves protected bike lanes on Main Street", article.Title);
        Assert.Equal("Maya Okafor", article.Byline);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 16, 30, 0, TimeSpan.Zero), article.Published);
        Assert.Equal("en-GB", article.Language);
        // A file:// picture cannot be shown on a chat platform: only http(s) images are kept.
        Assert.Null(article.ImageUrl);
    }

    [Theory]
    [InlineData("bike-lanes-reaction.html", "riverside-bike-lanes.html")]
    [InlineData("solar-library.html", "battery-recycling.html")]
    [InlineData("battery-recycling.html", "solar-library.html")]
    [InlineData("riverside-floods.html", "riverside-bike-lanes.html")]
    public void Extract_SimpleSample_FindsTextAndRelatedPage(string sample, string related)
    {
        var article = ExtractSample(sample);

        Assert.InRange(article.Paragraphs.Count, 4, 7);
        Assert.DoesNotContain("The Riverside Courier", article.Text, StringComparison.Ordinal);
        var link = Assert.Single(article.Related);
        Assert.Equal(new Uri(ReadingFiles.SamplePath(related)).ToString(), link.Url);
        Assert.NotEmpty(article.TopicCandidates);
    }
}
