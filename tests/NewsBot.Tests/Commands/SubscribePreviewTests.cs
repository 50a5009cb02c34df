using Microsoft.Extensions.DependencyInjection;
using NewsBot.Commands;
using NewsBot.Platforms.Console;
using NewsBot.Model;
using NewsBot.Publishing;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands;

/// <summary>/subscribe … preview:on shows what the subscription would post, and changes nothing.</summary>
public sealed class SubscribePreviewTests
{
    [Fact]
    public async Task Preview_NewestMatchingArticleWithTheSubscriptionsSettings_StoresAndSendsNothing()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("wire");
        await bed.PublishAsync(source, ("Rain floods the valley", null, ["Weather"]), ("Sunny weekend ahead", null, ["Weather"]));

        var reply = await bed.RunAsync("subscribe all include:rain template:\"{{ title | upcase }}\" mention:4242 format:compact preview:on");

        Assert.False(reply.IsError, ReplyText.Of(reply));
        Assert.True(reply.Private);
        var preview = Assert.Single(reply.Blocks.OfType<ReplyPostPreview>());
        // The newest article the filter lets through, not the newest overall.
        Assert.Equal("Rain floods the valley", preview.Post.Title);
        Assert.Equal("{{ title | upcase }}", preview.Post.Template?.Text);
        Assert.Equal([4242UL], preview.Post.MentionRoleIds);
        Assert.Equal(PostFormat.Compact, preview.Post.Format);
        Assert.Null(preview.Post.SubscriptionId);
        Assert.Contains("without preview:true", ReplyText.Of(reply), StringComparison.Ordinal);

        var channel = await bed.ChannelAsync("100");
        Assert.Empty(await bed.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync(channel.Id, TestContext.Current.CancellationToken));
        await bed.DispatchAsync();
        Assert.Empty(bed.Discord.Messages);
        Assert.Empty(await bed.DeliveriesOfAsync("100"));
    }

    [Fact]
    public async Task Preview_NothingMatches_SaysSoAndSubscribesNothing()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("wire");
        await bed.PublishAsync(source, "Sunny weekend ahead");

        var reply = await bed.RunAsync("subscribe all include:rain preview:on");

        Assert.Contains("nothing to preview", ReplyText.Of(reply), StringComparison.Ordinal);
        Assert.Empty(reply.Blocks.OfType<ReplyPostPreview>());
        var channel = await bed.ChannelAsync("100");
        Assert.Empty(await bed.Services.GetRequiredService<ISubscriptionStore>().ListForChannelAsync(channel.Id, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Preview_OnTheConsole_PrintsTheTemplateAsItWouldPost()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("wire");
        await bed.PublishAsync(source, "Rain floods the valley");
        using var output = new StringWriter();
        var console = new ConsolePublisher(new ConsoleIO(TextReader.Null, output), bed.Services.GetRequiredService<PostTemplateRenderer>());

        var reply = await bed.RunAsync("subscribe all template:\"<b>{{ title }}</b> via {{ source }}\" preview:on", channelId: "console", platform: Platform.Console);
        var printed = ConsoleRenderer.RenderReply(reply, console.Compose);

        Assert.Contains("<b>Rain floods the valley</b> via wire", printed, StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task Preview_TemplateFailsForThisArticle_SaysSoAndIsNotListedInStatus()
    {
        using var bed = await DeliveryTestBed.CreateAsync();
        var source = await bed.AddSourceAsync("wire");
        await bed.PublishAsync(source, "Rain floods the valley");

        var preview = await bed.RunAsync("subscribe all preview:on template:\"{% for i in (1..200) %}{{ title }}{% endfor %}\"");
        var status = ConsoleRenderer.RenderReply(await bed.RunAsync("status"));

        Assert.Contains("The template fails for this article (text:", ReplyText.Of(preview), StringComparison.Ordinal);
        Assert.DoesNotContain("Template of", status, StringComparison.Ordinal);
    }
}
