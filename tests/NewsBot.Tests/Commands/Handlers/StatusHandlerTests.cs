using Microsoft.Extensions.DependencyInjection;
using NewsBot.Storage;
using NewsBot.Tests.Publishing;

namespace NewsBot.Tests.Commands.Handlers;

public sealed class StatusHandlerTests
{
    [Fact]
    public async Task Status_NothingYet_ZeroCounts()
    {
        using var bed = await DeliveryTestBed.CreateAsync();

        var reply = await bed.RunAsync("status", admin: false, userId: "9");

        Assert.False(reply.IsError);
        Assert.Equal("Status\n0 of 0 sources healthy · 0 articles stored · 0 deliveries pending\n", ReplyText.Of(reply));
    }

    [Fact]
    public async Task Status_Sources_CountsAndEachSourcesState()
    {
        using var bed = await HandlerBeds.NewsAsync();
        var store = bed.Services.GetRequiredService<ISourceStore>();
        var paused = await bed.AddSourceAsync("wire");
        var failing = await bed.AddSourceAsync("gazette");
        await store.SetPausedAsync(paused.Id, true, TestContext.Current.CancellationToken);
        await store.MarkFailedAsync(failing.Id, "feed.timeout", bed.Clock.GetUtcNow().AddMinutes(5), null, TestContext.Current.CancellationToken);
        await bed.RunAsync("subscribe news");
        var pending = await bed.Deliveries.CountPendingAsync(TestContext.Current.CancellationToken);

        var reply = await bed.RunAsync("status", admin: false, userId: "9");

        Assert.Equal($"1 of 3 sources healthy · 3 articles stored · {pending} deliveries pending", ReplyText.Of(reply).Split('\n')[1]);
        Assert.True(pending > 0, "the subscription planned nothing, so the pending count shows nothing");
        var lines = HandlerBeds.Lines(reply).ToDictionary(l => l.Text, l => l.Detail);
        Assert.StartsWith("ok; last poll never", lines["news"], StringComparison.Ordinal);
        Assert.Equal("paused", lines["wire"]);
        Assert.StartsWith("failing (1x): feed.timeout;", lines["gazette"], StringComparison.Ordinal);
        Assert.EndsWith("next in 5 min", lines["gazette"], StringComparison.Ordinal);
    }
}
