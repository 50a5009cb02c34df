namespace NewsBot.Cli;

/// <summary>A command-line verb for admins and scripts: <c>newsbot &lt;verb&gt; args…</c>.</summary>
public interface ICliVerb
{
    string Name { get; }

    /// <summary>One line for <c>newsbot --help</c>, starting with the usage.</summary>
    string Help { get; }

    /// <returns>The process exit code.</returns>
    Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, CancellationToken cancellationToken);
}
