using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Routing;

namespace NewsBot.Platforms;

/// <summary>The "NewsBot:Http" section: the optional HTTP endpoint (health, webhooks, interactions).</summary>
public sealed class HttpOptions
{
    public const string Section = "NewsBot:Http";

    /// <summary>Where to listen, e.g. "http://0.0.0.0:8080"; empty means no HTTP endpoint at all.</summary>
    [RegularExpression(@"^$|^https?://\S+(;https?://\S+)*$", ErrorMessage = "NewsBot:Http:Urls must be empty or http(s) URLs separated by ';', e.g. http://0.0.0.0:8080.")]
    public string Urls { get; set; } = "";
}

/// <summary>Something an area serves over HTTP (a Telegram webhook, Discord interactions); mapped when the endpoint is on.</summary>
public interface IHttpEndpoints
{
    void Map(IEndpointRouteBuilder endpoints);
}
