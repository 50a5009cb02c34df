using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Hosting;

public sealed class OptionsValidationTests
{
    [Theory]
    [InlineData("NewsBot:Feeds:PollInterval", "00:00:00", "NewsBot:Feeds:PollInterval")]
    [InlineData("NewsBot:Feeds:MaxParallelFetches", "0", "NewsBot:Feeds:MaxParallelFetches")]
    [InlineData("NewsBot:Feeds:Sources:0:FullText", "sometimes", "NewsBot:Feeds:Sources:0:FullText")]
    [InlineData("NewsBot:Feeds:Sources:0:Url", "ftp://example.org/feed", "NewsBot:Feeds:Sources:0:Url")]
    [InlineData("NewsBot:Console:Enabled", "maybe", "NewsBot:Console:Enabled")]
    [InlineData("NewsBot:Publishing:MaxAttempts", "0", "NewsBot:Publishing:MaxAttempts")]
    [InlineData("NewsBot:Database", "", "NewsBot:Database")]
    [InlineData("NewsBot:Owners:0", "alice", "NewsBot:Owners:0")]
    public async Task Start_BadSetting_FailsNamingTheSetting(string key, string value, string expectedInMessage)
    {
        using var folder = new TempFolder();
        var settings = TestHosts.SampleFeed();
        settings[key] = value;
        using var host = TestHosts.Build(folder, settings);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains(expectedInMessage, string.Join(" ", error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_UnconvertibleValue_FailsNamingTheSetting()
    {
        using var folder = new TempFolder();
        var settings = TestHosts.SampleFeed();
        settings["NewsBot:Feeds:PollInterval"] = "soon";
        using var host = TestHosts.Build(folder, settings);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        Assert.Contains("NewsBot:Feeds:PollInterval", error.Message, StringComparison.Ordinal);
    }
}
