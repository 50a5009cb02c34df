namespace NewsBot.Tests.Reading;

/// <summary>Files of the repository the Reading tests use: golden pages beside these tests, and the samples folder.</summary>
internal static class ReadingFiles
{
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "NewsBot.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No NewsBot.sln above {AppContext.BaseDirectory}.");
    }

    public static string TestDataPath(string name) => Path.Combine(RepositoryRoot(), "tests", "NewsBot.Tests", "Reading", "TestData", name);

    public static string TestData(string name) => File.ReadAllText(TestDataPath(name));

    public static string SamplePath(string name) => Path.Combine(RepositoryRoot(), "samples", "articles", name);
}
