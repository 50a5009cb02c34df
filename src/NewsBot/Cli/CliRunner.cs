using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace NewsBot.Cli;

/// <summary>Runs <c>newsbot &lt;verb&gt;</c> with the host's services but without starting the bot.</summary>
public static class CliRunner
{
    public static bool IsHelp(string[] args) => args is ["--help" or "-h" or "help", ..];

    public static async Task<int> RunAsync(IHost host, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var verb = host.Services.GetServices<ICliVerb>().Single(v => v.Name == args[0]);
        return await verb.RunAsync(args[1..], output, cancellationToken);
    }

    public static void WriteHelp(IHost host, TextWriter output)
    {
        output.WriteLine("NewsBot: a self-hosted news bot for Discord and Telegram.");
        output.WriteLine();
        output.WriteLine("Usage:");
        output.WriteLine("  newsbot                  run the bot (posts new articles, answers commands)");
        foreach (var verb in host.Services.GetServices<ICliVerb>().OrderBy(v => v.Name, StringComparer.Ordinal))
        {
            output.WriteLine("  newsbot " + verb.Help);
        }

        output.WriteLine("  newsbot --help           this text");
        output.WriteLine();
        output.WriteLine("Settings come from appsettings.json and environment variables (NewsBot__Database=..., NewsBot__Discord__Token=...).");
    }
}
