namespace NewsBot.Cli;

/// <summary>The process exit codes, documented in README ("Command line").</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A setting is invalid; the one line on stderr names it, its value and what is allowed.</summary>
    public const int Configuration = 1;

    /// <summary>Unknown verb or option, bad verb arguments, or (parse, extract, summarize) an input that failed.</summary>
    public const int Usage = 2;

    /// <summary>The database (or a backup target) cannot be opened, created or written, or does not exist.</summary>
    public const int Database = 3;

    /// <summary>A second Ctrl+C: stopped at once (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
