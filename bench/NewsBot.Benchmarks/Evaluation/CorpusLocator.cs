namespace NewsBot.Benchmarks.Evaluation;

/// <summary>
/// Finds the shared corpus: an explicit --corpus argument, else NEWSBOT_CORPUS, else ../shared/corpus
/// looked up from the current folder and from the binary's folder upwards.
/// </summary>
public static class CorpusLocator
{
    public const string EnvironmentVariable = "NEWSBOT_CORPUS";

    public static string? Locate(string? explicitPath = null)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return Directory.Exists(explicitPath) ? Path.GetFullPath(explicitPath) : null;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return Directory.Exists(fromEnvironment) ? Path.GetFullPath(fromEnvironment) : null;
        }

        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var candidate = Path.Combine(folder.FullName, "..", "shared", "corpus");
                if (Directory.Exists(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }

        return null;
    }
}
