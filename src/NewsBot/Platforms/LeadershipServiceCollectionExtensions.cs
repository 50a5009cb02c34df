using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using NewsBot.Runtime;

namespace NewsBot.Platforms;

public static class LeadershipServiceCollectionExtensions
{
    /// <summary>
    /// The <see cref="ILeadership"/> the platforms share: leases in a cluster (<see cref="ClusterLeaseOptions.IsClustered"/>),
    /// otherwise this process leads every role. Each platform calls it; the first call registers.
    /// </summary>
    public static IServiceCollection AddLeadership(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(d => d.ServiceType == typeof(ILeadership)))
        {
            return services;
        }

        if (!ClusterLeaseOptions.IsClustered(configuration))
        {
            services.AddSingleton<ILeadership, SoleProcessLeadership>();
            return services;
        }

        services.AddClusterLeaseOptions();
        services.AddSingleton<LeasedLeadership>();
        services.AddSingleton<ILeadership>(sp => sp.GetRequiredService<LeasedLeadership>());
        services.AddSingleton<IClusterHoldings>(sp => sp.GetRequiredService<LeasedLeadership>());
        return services;
    }

    /// <summary>Binds and validates <see cref="ClusterLeaseOptions"/> once.</summary>
    public static IServiceCollection AddClusterLeaseOptions(this IServiceCollection services)
    {
        services.AddOptions<ClusterLeaseOptions>().BindConfiguration(ClusterLeaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
