using System.Globalization;
using NewsBot.Benchmarks.Publishing;
using NewsBot.CrashHarness;
using NewsBot.Model;

// A process for the crash driver to kill (bench/NewsBot.Benchmarks/Crash/CrashDriver.cs: the crash test and scripts/proof-crash.sh):
//   seed <db> <channels> <articles>   plan channels × articles pending deliveries, then exit
//   run <db> <sent-file> <latency-ms> dispatch until nothing is pending; each send takes latency-ms, then the post's
//                                     key is appended to <sent-file> and fsynced before the platform "answers"; "sent" is printed
// One send at a time, so a kill can catch at most one post between the platform's answer and the commit.
switch (args)
{
    case ["seed", var database, var channels, var articles]:
        using (var host = DispatchFanOut.BuildHost(database, new AppendingPublisher(Path.ChangeExtension(database, ".unused"), TimeSpan.Zero), maxConcurrentSends: 1))
        {
            Console.WriteLine(await DispatchFanOut.SeedAsync(host.Services, Platform.Discord, int.Parse(channels, CultureInfo.InvariantCulture), int.Parse(articles, CultureInfo.InvariantCulture), CancellationToken.None));
        }

        return 0;
    case ["run", var database, var sentFile, var latency]:
        using (var publisher = new AppendingPublisher(sentFile, TimeSpan.FromMilliseconds(int.Parse(latency, CultureInfo.InvariantCulture))))
        using (var host = DispatchFanOut.BuildHost(database, publisher, maxConcurrentSends: 1))
        {
            Console.WriteLine("ready");
            Console.WriteLine($"done {await DispatchFanOut.DrainAsync(host.Services, CancellationToken.None)}");
        }

        return 0;
    default:
        await Console.Error.WriteLineAsync("usage: seed <db> <channels> <articles> | run <db> <sent-file> <latency-ms>");
        return 2;
}
