using NewsBot.Benchmarks.Load;

namespace NewsBot.Tests.Proof;

/// <summary>A few hundred sources for a few seconds: the harness works and the pipeline keeps up with its poll interval.</summary>
public sealed class LoadSmokeTests
{
    [Fact]
    public async Task LoadRun_SmallScale_PollsOnScheduleAndDeliversEveryNewItem()
    {
        var settings = new LoadSettings
        {
            Sources = 200,
            Minutes = 0.2,
            PollInterval = TimeSpan.FromSeconds(4),
            Hosts = 50,
            Channels = 2,
            NewItemsPerSecond = 5,
            SlowEvery = 50,
            FailEvery = 100,
        };

        var report = await LoadHarness.RunAsync(settings, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.True(report.ArticlesStored >= 190 * 3, $"{report.ArticlesStored} articles stored");
        Assert.True(report.ItemsAdded > 0);
        Assert.Equal(report.PostsExpected, report.PostsReceived);
        Assert.Equal(0, report.DuplicatePosts);
        // 200 sources every 4 s is 3,000 a minute; allow for a busy test machine.
        Assert.True(report.PollsPerMinute > 1000, $"{report.PollsPerMinute} polls a minute");
        Assert.True(report.NotModifiedAnswers > 0, "conditional GETs were not used");
    }
}
