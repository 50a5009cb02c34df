namespace NewsBot.Platforms;

/// <summary>How one part of the bot is doing, as /healthz reports it.</summary>
public enum HealthState
{
    /// <summary>Working.</summary>
    Ok,

    /// <summary>Connecting, at start or after a routine drop; not a problem.</summary>
    Starting,

    /// <summary>Not configured; not a problem.</summary>
    Off,

    /// <summary>Configured but not working right now (unreachable, failing); it keeps retrying on its own.</summary>
    Down,

    /// <summary>Stopped for good until a restart with a fixed setting (a refused token).</summary>
    Stopped,
}

/// <param name="Detail">What is wrong (naming the setting to fix) or a short fact; null when there is nothing to add.</param>
public sealed record ComponentHealth(HealthState State, string? Detail = null)
{
    /// <summary>Down or stopped: /healthz answers "degraded".</summary>
    public bool IsFailing => State is HealthState.Down or HealthState.Stopped;
}

/// <summary>A platform adapter's part of /healthz; each area registers one, also when it is off.</summary>
public interface IComponentHealth
{
    /// <summary>The key in /healthz's "components": discord, telegram, console.</summary>
    string Name { get; }

    /// <summary>Cheap and in memory: /healthz is probed every few seconds.</summary>
    ComponentHealth Check();
}

/// <summary>A component whose state does not change while the process runs (off, or the console).</summary>
public sealed record FixedComponentHealth(string Name, ComponentHealth Health) : IComponentHealth
{
    public ComponentHealth Check() => Health;
}
