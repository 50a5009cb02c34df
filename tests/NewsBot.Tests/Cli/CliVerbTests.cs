using System.Text.Json;
using Microsoft.Extensions.Hosting;
using NewsBot.Cli;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.Cli;

public sealed class CliVerbTests
{
    [Fact]
    public async Task Parse_SampleFeed_PrintsOneObjectWithItems()
    {
        var (exit, output) = await RunAsync("parse", Path.Combine(RepositoryPaths.Samples, "feed.xml"));

        Assert.Equal(0, exit);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("rss2", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(5, json.RootElement.GetProperty("items").GetArrayLength());
        Assert.False(json.RootElement.TryGetProperty("file", out _));
    }

    [Fact]
    public async Task Parse_SeveralInputsOneMissing_PrintsOneLineEachAndExits2()
    {
        using var folder = new TempFolder();
        var (exit, output) = await RunAsync("parse", Path.Combine(RepositoryPaths.Samples, "feed.xml"), folder.File("missing.xml"));

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, exit);
        Assert.Equal(2, lines.Length);
        Assert.EndsWith("feed.xml", JsonDocument.Parse(lines[0]).RootElement.GetProperty("file").GetString(), StringComparison.Ordinal);
        Assert.True(JsonDocument.Parse(lines[1]).RootElement.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Extract_SamplePage_PrintsArticleAndRelatedLinks()
    {
        var (exit, output) = await RunAsync("extract", Path.Combine(RepositoryPaths.Samples, "articles", "riverside-bike-lanes.html"));

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("Riverside council approves protected bike lanes on Main Street", root.GetProperty("title").GetString());
        Assert.Contains("\n\n", root.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.True(root.GetProperty("related").GetArrayLength() >= 3);
    }

    [Fact]
    public async Task Summarize_Page_PrintsRequestedNumberOfSentences()
    {
        var (exit, output) = await RunAsync("summarize", Path.Combine(RepositoryPaths.Samples, "articles", "solar-library.html"), "--sentences", "2");

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal("en", root.GetProperty("language").GetString());
        Assert.Equal(2, root.GetProperty("sentences").GetArrayLength());
    }

    [Fact]
    public async Task Summarize_BadSentenceCount_Exits2()
    {
        var (exit, _) = await RunAsync("summarize", Path.Combine(RepositoryPaths.Samples, "articles", "solar-library.html"), "--sentences", "zero");

        Assert.Equal(2, exit);
    }

    [Fact]
    public async Task DbBackup_WritesAConsistentCopy()
    {
        using var folder = new TempFolder();
        await RunAsync(folder, "db", "migrate");
        var (exit, _) = await RunAsync(folder, "db", "backup", folder.File("copy.db"));

        Assert.Equal(0, exit);
        Assert.True(new FileInfo(folder.File("copy.db")).Length > 0);
    }

    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        using var folder = new TempFolder();
        return await RunAsync(folder, args);
    }

    private static async Task<(int Exit, string Output)> RunAsync(TempFolder folder, params string[] args)
    {
        using var host = TestHosts.Build(folder, new Dictionary<string, string?>(), configure: b => CliServiceCollectionExtensions.AddCli(b.Services));
        using var output = new StringWriter();
        var exit = await CliRunner.RunAsync(host, args, output, TestContext.Current.CancellationToken);
        return (exit, output.ToString());
    }
}
