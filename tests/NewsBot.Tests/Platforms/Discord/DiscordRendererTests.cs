using NewsBot.Commands;
using NewsBot.Discord;
using NewsBot.Platforms.Discord;
using NewsBot.Model;

namespace NewsBot.Tests.Platforms.Discord;

public sealed class DiscordRendererTests
{
    private static readonly Post Full = new()
    {
        ShortId = "k3x9",
        Title = "Council approves *bike* lanes",
        Url = "https://news.example/a(1)",
        SourceName = "Gazette",
        PublishedAt = new DateTimeOffset(2026, 11, 25, 8, 15, 0, TimeSpan.Zero),
        Summary = string.Join(' ', Enumerable.Repeat("The council voted for a protected lane.", 400)),
        Topics = ["Transport", "Local politics"],
        Related = [new RelatedLink("Earlier: lanes proposed", "https://news.example/b")],
        AlsoCoveredBy = [new RelatedLink("Riverside Times", "https://times.example/c")],
    };

    [Fact]
    public void RenderPost_Full_TitleLinkSummaryFieldsFooterWithinLimits()
    {
        var embed = DiscordRenderer.RenderPost(Full);

        Assert.Equal(@"Council approves \*bike\* lanes", embed.Title);
        Assert.Equal("https://news.example/a%281%29", embed.Url);
        Assert.True(embed.Description!.Length <= DiscordRenderer.DescriptionLimit);
        Assert.EndsWith("…", embed.Description, StringComparison.Ordinal);
        Assert.Equal(["Topics", "Related", "Also covered by"], embed.Fields!.Select(f => f.Name));
        Assert.Equal("[Riverside Times](https://times.example/c)", embed.Fields![2].Value);
        Assert.Equal("Gazette · id k3x9", embed.Footer!.Text);
        Assert.Equal("2026-11-25T08:15:00Z", embed.Timestamp);
    }

    [Fact]
    public void RenderPost_Compact_ShortDescriptionNoFields()
    {
        var embed = DiscordRenderer.RenderPost(Full with { Format = PostFormat.Compact });

        Assert.Null(embed.Fields);
        Assert.True(embed.Description!.Length <= DiscordRenderer.CompactSummaryLimit + 20);
    }

    [Fact]
    public void RenderPost_WithImage_FullShowsImageCompactShowsThumbnail()
    {
        var post = Full with { ImageUrl = "https://img.example/lanes.jpg" };

        var full = DiscordRenderer.RenderPost(post);
        var compact = DiscordRenderer.RenderPost(post with { Format = PostFormat.Compact });
        var unsafeImage = DiscordRenderer.RenderPost(post with { ImageUrl = "file:///etc/passwd" });

        Assert.Equal("https://img.example/lanes.jpg", full.Image?.Url);
        Assert.Null(full.Thumbnail);
        Assert.Equal("https://img.example/lanes.jpg", compact.Thumbnail?.Url);
        Assert.Null(compact.Image);
        Assert.Null(unsafeImage.Image);
    }

    [Fact]
    public void RenderPost_UnsafeUrl_NotLinked()
    {
        var embed = DiscordRenderer.RenderPost(Full with { Url = "javascript:alert(1)" });
        Assert.Null(embed.Url);
    }

    [Fact]
    public void RenderDigest_ManyItems_FitsOneEmbedAndCountsTheRest()
    {
        var items = Enumerable.Range(0, 200).Select(i => Full with { ShortId = $"id{i}", Title = $"Story number {i} with a fairly long headline to fill space" }).ToList();

        var embed = DiscordRenderer.RenderDigest(new DigestPost("12 new articles", items));

        Assert.True(embed.Description!.Length <= DiscordRenderer.DescriptionLimit);
        Assert.Matches(@"…and \d+ more$", embed.Description);
    }

    [Fact]
    public void RenderReply_PrivateCodeReply_EphemeralFencedAndWithinContentLimit()
    {
        var opml = string.Join('\n', Enumerable.Repeat("<outline text=\"x\" xmlUrl=\"https://a.example/feed\"/> ```", 200));
        var reply = new CommandReply([new ReplyHeading("Sources as OPML"), new ReplyCode(opml, "sources.opml")]) { Private = true };

        var message = DiscordRenderer.RenderReply(reply);

        Assert.Equal(MessageFlags.Ephemeral, message.Flags);
        Assert.True(message.Content!.Length <= DiscordRenderer.ContentLimit);
        Assert.StartsWith("**Sources as OPML**\n```\n", message.Content, StringComparison.Ordinal);
        Assert.EndsWith("\n```", message.Content, StringComparison.Ordinal);
        // The text cannot close the fence early.
        Assert.Equal(2, message.Content.Split("```").Length - 1);
    }

    [Fact]
    public void RenderReply_Articles_OneEmbedListingThem()
    {
        var reply = new CommandReply([new ReplyHeading("Latest news"), new ReplyArticles([Full, Full with { ShortId = "z1", Url = null }])]);

        var message = DiscordRenderer.RenderReply(reply);

        Assert.Equal(MessageFlags.None, message.Flags);
        var embed = Assert.Single(message.Embeds);
        var lines = embed.Description!.Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith(@"• [Council approves \*bike\* lanes](https://news.example/a%281%29) — Gazette", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("`z1`", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Nonce_LongKey_StableAndAtMost25Characters()
    {
        var key = new string('d', 80);
        Assert.Equal(DiscordPublisher.Nonce(key), DiscordPublisher.Nonce(key));
        Assert.True(DiscordPublisher.Nonce(key).Length <= DiscordPublisher.NonceLength);
        Assert.Equal("short-key", DiscordPublisher.Nonce("short-key"));
    }
}
