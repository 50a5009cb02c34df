using NewsBot.Benchmarks.Load;
using NewsBot.Platforms.Console;
using NewsBot.Fakes.Feeds;
using NewsBot.Model;

namespace NewsBot.Tests.Proof;

/// <summary>The real host against hostile feeds: bounded time, a stored error per source, plain titles, no crash.</summary>
public sealed class HostileInputTests
{
    private static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task HostileSources_FirstPoll_EachEndsWithStoredErrorOrPlainTitles()
    {
        var report = await HostileRuns.RunSourcesAsync(FetchTimeout, TestContext.Current.CancellationToken);

        // The drip feed is cut by the fetch deadline; everything else ends sooner.
        Assert.InRange(report.Seconds, 0, 30);
        Assert.Equal(HostileRuns.Paths.Count, report.Sources.Count);
        var byPath = report.Sources.ToDictionary(s => s.Path);
        Assert.StartsWith("fetch.too_large", byPath[HostilePaths.HugeBody].LastError);
        Assert.StartsWith("fetch.too_large", byPath[HostilePaths.GzipBomb].LastError);
        Assert.StartsWith("fetch.timeout", byPath[HostilePaths.Drip].LastError);
        // A parser may refuse a DTD or skip it; either way no entity is expanded or resolved.
        Assert.All(byPath[HostilePaths.BillionLaughs].Titles, t => Assert.True(t.Length < 1000, $"expanded title of {t.Length} chars"));
        Assert.All(byPath[HostilePaths.Xxe].Titles, t => Assert.DoesNotContain("root:", t, StringComparison.Ordinal));
        Assert.Equal(0, report.XxeProbeHits);
        Assert.StartsWith("fetch.blocked_address", byPath[HostilePaths.RedirectPrivate].LastError);
        Assert.All(report.Sources, s => Assert.True(s.LastError is not null || s.Titles.Count > 0, $"{s.Path}: neither an error nor articles"));

        var titles = report.Sources.SelectMany(s => s.Titles).ToList();
        Assert.All(titles, AssertPlain);
        Assert.Equal(FakeFeedServer.HostileTitles.Count, byPath[HostilePaths.Markup].Titles.Count);
    }

    [Fact]
    public void RenderPost_HostileTitles_ConsoleCardHasNoControlOrBidiCharacters()
    {
        foreach (var title in FakeFeedServer.HostileTitles.Append(FakeFeedServer.ControlTitle))
        {
            var card = ConsoleRenderer.RenderPost(new Post { ShortId = "a1", Title = title, SourceName = title, Summary = title, Url = "https://example.com/a" });

            Assert.DoesNotContain(card, c => char.IsControl(c) && c != '\n');
            Assert.DoesNotContain(card, c => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069');
        }
    }

    /// <summary>Stored titles are plain text: no tags, no control characters, no broken UTF-16.</summary>
    private static void AssertPlain(string title)
    {
        Assert.DoesNotContain("<script", title, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", title, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(title, c => char.IsControl(c));
        for (var i = 0; i < title.Length; i++)
        {
            if (char.IsHighSurrogate(title[i]))
            {
                Assert.True(i + 1 < title.Length && char.IsLowSurrogate(title[i + 1]), "lone high surrogate");
                i++;
            }
            else
            {
                Assert.False(char.IsLowSurrogate(title[i]), "lone low surrogate");
            }
        }
    }
}
