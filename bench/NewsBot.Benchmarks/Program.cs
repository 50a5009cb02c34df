using BenchmarkDotNet.Running;
using NewsBot.Benchmarks;
using NewsBot.Benchmarks.Evaluation;
using NewsBot.Benchmarks.Load;

// "load", "faults", "hostile": the proof runs (Load/ProofVerbs.cs), each bounded, printing JSON figures.
if (ProofVerbs.Handles(args))
{
    return await ProofVerbs.RunAsync(args);
}

if (args is ["gateway", ..])
{
    return await NewsBot.Benchmarks.Gateway.GatewayProof.RunAsync(args[1..], Console.Error, CancellationToken.None);
}

if (args is ["cluster", ..])
{
    return await NewsBot.Benchmarks.Cluster.ClusterVerb.RunAsync(args[1..]);
}

if (args is ["fanout", ..])
{
    Console.WriteLine(await NewsBot.Benchmarks.FanOut.FanOutProof.RunAsync(args[1..], Console.Error, CancellationToken.None));
    return 0;
}

// "eval <area>" prints one JSON object of quality figures over the shared corpus;
// anything else runs BenchmarkDotNet (e.g. --filter '*Parse*').
if (args is ["eval", var area, ..])
{
    var rest = args[2..];
    var corpus = CorpusLocator.Locate(BenchArguments.Text(rest, "--corpus"));
    if (corpus is null)
    {
        Console.Error.WriteLine("Corpus not found: pass --corpus DIR or set NEWSBOT_CORPUS (default ../shared/corpus).");
        return 2;
    }

    string? output = area switch
    {
        // Each evaluation lives in Evaluation/<Area>Evaluation.cs and returns its JSON.
        "articles" => ArticlesEvaluation.Run(corpus, rest),
        "summaries" => SummariesEvaluation.Run(corpus, rest),
        "fetching" => FetchingEvaluation.Run(corpus, rest),
        "feeds" => FeedsEvaluation.Run(corpus, rest),
        "related" => await RelatedEvaluation.RunAsync(corpus, rest, CancellationToken.None),
        _ => null,
    };
    if (output is null)
    {
        Console.Error.WriteLine($"Unknown evaluation '{area}'.");
        return 2;
    }

    Console.WriteLine(output);
    return 0;
}

if (args is ["dispatch", ..])
{
    Console.WriteLine(await NewsBot.Benchmarks.Publishing.DispatchBenchmark.RunAsync(args[1..]));
    return 0;
}

if (args is ["crash", ..])
{
    return await NewsBot.Benchmarks.Crash.CrashVerb.RunAsync(args[1..]);
}

if (args is ["nesting", ..])
{
    Console.WriteLine(NewsBot.Benchmarks.Reading.NestingBenchmark.Run(args[1..]));
    return 0;
}

if (args is ["archive", ..])
{
    Console.WriteLine(await NewsBot.Benchmarks.Archive.ArchiveBenchmark.RunAsync(args[1..], CancellationToken.None));
    return 0;
}

BenchmarkSwitcher.FromAssembly(typeof(CorpusLocator).Assembly).Run(args);
return 0;
