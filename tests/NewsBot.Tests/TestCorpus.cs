using NewsBot.Benchmarks.Evaluation;

namespace NewsBot.Tests;

/// <summary>
/// The shared corpus for real-world tests. Missing corpus: the test is skipped on a developer machine,
/// and fails in CI (CI=true), where it must be present.
/// </summary>
public static class TestCorpus
{
    public static string Require(params string[] subPath)
    {
        var root = CorpusLocator.Locate();
        if (root is null)
        {
            var message = $"The shared corpus was not found (set {CorpusLocator.EnvironmentVariable} or place it at ../shared/corpus).";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        return Path.Combine([root, .. subPath]);
    }
}
