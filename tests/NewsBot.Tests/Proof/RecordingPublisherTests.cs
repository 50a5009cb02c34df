using NewsBot.Benchmarks.Load;
using NewsBot.Model;

namespace NewsBot.Tests.Proof;

/// <summary>The fault and load runs' "no duplicates" counts what a user would see twice, not only re-sent keys.</summary>
public sealed class RecordingPublisherTests
{
    private static readonly Post Story = new() { ShortId = "a1", Title = "Story", SourceName = "Wire", Url = "https://wire.example/items/1" };

    [Fact]
    public async Task Duplicates_SameArticleToAChannelUnderTwoKeys_Counted()
    {
        var publisher = new RecordingPublisher(Platform.Discord, TimeProvider.System);
        var channel = new Channel { Platform = Platform.Discord, ExternalId = "100" };

        await publisher.PublishAsync(channel, Story, "delivery-1", TestContext.Current.CancellationToken);
        await publisher.PublishAsync(channel, Story, "delivery-2", TestContext.Current.CancellationToken);

        Assert.Equal(1, publisher.Duplicates);
    }

    [Fact]
    public async Task Duplicates_SameKeyResent_Counted_SameArticleInAnotherChannel_Not()
    {
        var publisher = new RecordingPublisher(Platform.Discord, TimeProvider.System);

        await publisher.PublishAsync(new Channel { Platform = Platform.Discord, ExternalId = "100" }, Story, "delivery-1", TestContext.Current.CancellationToken);
        await publisher.PublishAsync(new Channel { Platform = Platform.Discord, ExternalId = "200" }, Story, "delivery-2", TestContext.Current.CancellationToken);
        Assert.Equal(0, publisher.Duplicates);

        await publisher.PublishAsync(new Channel { Platform = Platform.Discord, ExternalId = "100" }, Story, "delivery-1", TestContext.Current.CancellationToken);
        Assert.Equal(1, publisher.Duplicates);
    }
}
