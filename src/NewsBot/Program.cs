using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using NewsBot.Cli;
using NewsBot.Hosting;
using NewsBot.Storage;

var builder = NewsBotHost.CreateBuilder(args);
builder.Services.AddCli();
using var host = builder.Build();

if (CliRunner.IsHelp(args))
{
    CliRunner.WriteHelp(host, Console.Out);
    return 0;
}

try
{
    if (CliRunner.IsVerb(host, args))
    {
        return await CliRunner.RunAsync(host, args, Console.Out, CancellationToken.None);
    }

    await host.RunAsync();
    return 0;
}
catch (OptionsValidationException ex)
{
    await Console.Error.WriteLineAsync("Configuration error: " + string.Join(" ", ex.Failures));
    return 1;
}
catch (StorageVersionException ex)
{
    await Console.Error.WriteLineAsync("Database error: " + ex.Message);
    return 1;
}
catch (InvalidOperationException ex) when (ex.Message.Contains("configuration", StringComparison.OrdinalIgnoreCase))
{
    // The binder names the key it could not convert, e.g. "NewsBot:Feeds:PollInterval".
    await Console.Error.WriteLineAsync("Configuration error: " + ex.Message);
    return 1;
}
