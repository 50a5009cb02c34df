using Microsoft.Extensions.DependencyInjection;
using NewsBot.Cli;
using NewsBot.Hosting;

return await NewsBotCommandLine.RunAsync(args, Console.Out, Console.Error, builder => builder.Services.AddHostedService<InterruptHandler>());
