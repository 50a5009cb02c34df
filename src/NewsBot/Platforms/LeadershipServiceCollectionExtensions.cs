using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NewsBot.Runtime;

namespace NewsBot.Platforms;

public static class LeadershipServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="ILeadership"/> the platforms share: leases in cluster mode (<see cref="ClusterOptions.IsEnabled"/>;
    /// storage refuses it on SQLite), otherwise this process leads every role. Each platform calls it; the first call registers.
    /// </summary>
    public static IServiceCollection AddLeadership(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ILeadership)))
        {
            return services;
        }

        if (!ClusterOptions.IsEnabled(configuration))
        {
            services.AddSingleton<ILeadership, SoleProcessLeadership>();
            return services;
        }

        services.AddSingleton<LeasedLeadership>();
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeasedLeadership>());
        services.AddSingleton<IClusterHoldings>(sp => sp.GetRequiredService<LeasedLeadership>());
        return services;
    }
}
