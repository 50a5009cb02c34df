using System.Text.Json;
using NewsBot.Discord.Rest;
using NewsBot.Discord.Wire;

namespace NewsBot.Discord.Tests.Rest;

public sealed class CommandSetHashTests
{
    private static ApplicationCommand Latest(string description = "Latest articles") => new()
    {
        Name = "latest",
        Description = description,
        Options =
        [
            new() { Type = 4, Name = "count", Description = "How many", MinValue = 1, MaxValue = 10 },
            new() { Type = 3, Name = "topic", Description = "Topic", Choices = [new() { Name = "Tech", Value = JsonSerializer.SerializeToElement("tech") }] },
        ],
    };

    private static ApplicationCommand Subscribe() => new() { Name = "subscribe", Description = "Subscribe this channel", DefaultMemberPermissions = "32" };

    [Fact]
    public void Compute_SameSetTwice_SameHash()
    {
        Assert.Equal(CommandSetHash.Compute([Latest(), Subscribe()]), CommandSetHash.Compute([Latest(), Subscribe()]));
    }

    [Fact]
    public void Compute_CommandsReordered_SameHash()
    {
        Assert.Equal(CommandSetHash.Compute([Latest(), Subscribe()]), CommandSetHash.Compute([Subscribe(), Latest()]));
    }

    [Fact]
    public void Compute_ServerAssignedIds_Ignored()
    {
        Assert.Equal(CommandSetHash.Compute([Latest()]), CommandSetHash.Compute([Latest() with { Id = 123 }]));
    }

    [Fact]
    public void Compute_DescriptionChanged_DifferentHash()
    {
        Assert.NotEqual(CommandSetHash.Compute([Latest()]), CommandSetHash.Compute([Latest("Newest articles")]));
    }

    [Fact]
    public void Compute_OptionsReordered_DifferentHash()
    {
        var reordered = Latest() with { Options = [.. Latest().Options!.Reverse()] };

        Assert.NotEqual(CommandSetHash.Compute([Latest()]), CommandSetHash.Compute([reordered]));
    }
}
