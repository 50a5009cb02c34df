using System.ComponentModel.DataAnnotations;

namespace NewsBot.Hosting;

/// <summary>The "NewsBot:Telemetry" section: logs format and metrics export.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "NewsBot:Telemetry";

    /// <summary>"text" for people, "json" (one JSON object per line) for log collectors.</summary>
    [RegularExpression("^(text|json)$", ErrorMessage = "NewsBot:Telemetry:LogFormat must be text or json.")]
    public string LogFormat { get; set; } = "text";

    /// <summary>OTLP endpoint for metrics (e.g. http://localhost:4317); empty = no export.</summary>
    [RegularExpression(@"^$|^https?://\S+$", ErrorMessage = "NewsBot:Telemetry:OtlpEndpoint must be empty or an http(s) URL such as http://localhost:4317.")]
    public string OtlpEndpoint { get; set; } = "";
}
