using Microsoft.Extensions.Options;
using NewsBot.Platforms;

namespace NewsBot.Cli;

/// <summary>
/// <c>newsbot healthcheck</c>: asks the running bot's /healthz (for Docker HEALTHCHECK and systemd watchdogs). Exit 0
/// for "ok" and "degraded" (a platform or the feeds are down: restarting would not fix a refused token or an outage),
/// 1 when the database fails (503) or the bot does not answer, 2 when NewsBot:Http:Urls is not set.
/// </summary>
public sealed class HealthcheckVerb(IHttpClientFactory httpClients, IOptions<HttpOptions> http) : ICliVerb
{
    public string Name => "healthcheck";

    public string Help => "healthcheck              exit 0 when the running bot's /healthz answers ok or degraded, 1 when unhealthy (needs NewsBot:Http:Urls)";

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken)
    {
        var first = http.Value.Urls.Split(';', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        if (first is null || !Uri.TryCreate(first.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "[::1]", StringComparison.Ordinal), UriKind.Absolute, out var baseUri))
        {
            await output.WriteLineAsync("NewsBot:Http:Urls is not set: there is no endpoint to check.");
            return 2;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            using var response = await httpClients.CreateClient().GetAsync(new Uri(baseUri, "/healthz"), timeout.Token);
            await output.WriteLineAsync($"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync(timeout.Token)}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            await output.WriteLineAsync("unreachable: " + ex.Message);
            return 1;
        }
    }
}
