using BenchmarkDotNet.Attributes;
using NewsBot.Commands;
using NewsBot.Discord;
using NewsBot.Platforms.Discord;
using NewsBot.Discord.Wire;
using NewsBot.Model;

namespace NewsBot.Benchmarks.Discord;

/// <summary>Rendering cost per Discord post, digest and command reply (feed text escaped and fitted to the limits).</summary>
[MemoryDiagnoser]
public class DiscordRendererBenchmarks
{
    private Post _post = null!;
    private DigestPost _digest = null!;
    private CommandReply _reply = null!;

    [GlobalSetup]
    public void Setup()
    {
        _post = new Post
        {
            ShortId = "a1b2c3",
            Title = "Council approves *protected* bike lanes on [Main Street]",
            Url = "https://news.example/riverside/bike-lanes",
            SourceName = "Riverside Gazette",
            PublishedAt = new DateTimeOffset(2026, 11, 25, 8, 15, 0, TimeSpan.Zero),
            Summary = string.Join(' ', Enumerable.Repeat("The council voted 7–2 for a two-kilometre protected lane, to be built next spring.", 20)),
            Topics = ["Transport", "Local politics", "Cycling"],
            Related = [.. Enumerable.Range(0, 3).Select(i => new RelatedLink($"Earlier story {i}", $"https://news.example/{i}"))],
            AlsoCoveredBy = [new RelatedLink("Riverside Times", "https://times.example/lanes")],
        };
        _digest = new DigestPost("40 new articles", [.. Enumerable.Range(0, 40).Select(i => _post with { ShortId = $"d{i}" })]);
        _reply = new CommandReply([new ReplyHeading("Latest news"), new ReplyArticles([.. Enumerable.Range(0, 10).Select(i => _post with { ShortId = $"r{i}" })])]);
    }

    [Benchmark]
    public Embed Post() => DiscordRenderer.RenderPost(_post);

    [Benchmark]
    public Embed Digest() => DiscordRenderer.RenderDigest(_digest);

    [Benchmark]
    public OutgoingMessage Reply() => DiscordRenderer.RenderReply(_reply);
}
