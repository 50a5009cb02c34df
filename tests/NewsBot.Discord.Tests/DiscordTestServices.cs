using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NewsBot.Discord;
using NewsBot.Fakes.Discord;

namespace NewsBot.Discord.Tests;

/// <summary>Builds the real client registrations pointed at a fake Discord.</summary>
internal static class DiscordTestServices
{
    public static ServiceProvider Build(FakeDiscordServer fake, Action<DiscordClientOptions>? configure = null, TimeProvider? time = null,
        Random? random = null, Action<IServiceCollection>? replace = null)
    {
        var services = new ServiceCollection();
        // Registered first: AddDiscordClient only adds what is not there yet (e.g. another IIdentifyGate).
        replace?.Invoke(services);
        // Collected in memory (FakeLogCollector) so tests can count what an operator would read.
        services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Trace));
        if (time is not null)
        {
            services.AddSingleton<TimeProvider>(time);
        }

        if (random is not null)
        {
            services.AddSingleton<Random>(random);
        }

        services.AddDiscordClient(options =>
        {
            options.Token = fake.Options.Token;
            options.ApiBaseUrl = fake.ApiBaseUrl;
            options.GlobalRequestsPerSecond = fake.Options.GlobalLimitPerSecond;
            options.UserAgentUrl = "https://example.invalid/newsbot";
            options.UserAgentVersion = "test";
            configure?.Invoke(options);
        });
        return services.BuildServiceProvider();
    }
}

/// <summary>Deterministic jitter: every draw returns the same value.</summary>
internal sealed class FixedRandom(double value) : Random
{
    public override double NextDouble() => value;

    protected override double Sample() => value;
}
