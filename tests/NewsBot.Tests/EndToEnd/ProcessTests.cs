using System.Diagnostics;
using NewsBot.Cli;
using NewsBot.Tests.TestSupport;

namespace NewsBot.Tests.EndToEnd;

/// <summary>The real executable, as an operator runs it in a terminal: stopping, and the one-line errors of the db verb.</summary>
[Collection(TimeBoundCollection.Name)]
public sealed class ProcessTests
{
    [Fact]
    public async Task CtrlC_WhileTheConsoleWaitsForInput_StopsWithin2SecondsSayingSo()
    {
        using var folder = new TempFolder();
        using var bot = StartBot(folder);
        await bot.Output.WaitForAsync(t => t.Contains("────", StringComparison.Ordinal), TimeSpan.FromSeconds(60));

        var stopwatch = Stopwatch.StartNew();
        await InterruptAsync(bot.Process);
        await bot.Process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);
        stopwatch.Stop();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(2), $"stopped after {stopwatch.Elapsed.TotalSeconds:0.00} s");
        Assert.Equal(ExitCodes.Ok, bot.Process.ExitCode);
        Assert.Contains("NewsBot is stopping (press Ctrl+C again to stop at once)", bot.Errors.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("db", "info")]
    [InlineData("sources")]
    [InlineData("search", "election")]
    public async Task ReadingVerb_MissingFile_SaysSoAndCreatesNothing(params string[] verb)
    {
        using var folder = new TempFolder();
        var database = folder.File("typo.db");

        var (exit, error) = await RunVerbAsync(database, verb);

        Assert.Equal(ExitCodes.Database, exit);
        Assert.Equal($"Database error: NewsBot:Database = {database}: there is no such file (nothing was created; newsbot db migrate creates it).", error.TrimEnd());
        Assert.False(File.Exists(database));
    }

    [Fact]
    public async Task DbBackup_UnwritableTarget_PrintsOneLine()
    {
        using var folder = new TempFolder();
        var database = folder.File("newsbot.db");
        Assert.Equal(ExitCodes.Ok, (await RunVerbAsync(database, "db", "migrate")).Exit);
        var target = Path.Combine(folder.File("missing-folder"), "copy.db");

        var (exit, error) = await RunVerbAsync(database, "db", "backup", target);

        Assert.Equal(ExitCodes.Database, exit);
        Assert.Equal($"Backup error: cannot write {target}: cannot open or create the file (is the folder there and writable?).", error.TrimEnd());
    }

    private sealed class RunningBot(Process process, CapturingWriter output, CapturingWriter errors) : IDisposable
    {
        public Process Process { get; } = process;

        public CapturingWriter Output { get; } = output;

        public CapturingWriter Errors { get; } = errors;

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            Process.Dispose();
        }
    }

    /// <summary>The bot on the console with the sample feed; stdin stays open and silent, as in a terminal nobody types in.</summary>
    private static RunningBot StartBot(TempFolder folder)
    {
        // A terminal's foreground process receives SIGINT; a test runner's child may inherit it ignored (nohup, CI).
        var start = Start(folder.File("newsbot.db"), "env", "--default-signal=INT", "dotnet", Path.Combine(AppContext.BaseDirectory, "newsbot.dll"));
        start.Environment["NewsBot__Console__Enabled"] = "on";
        start.Environment["NewsBot__Feeds__Sources__0__Url"] = Path.Combine(RepositoryPaths.Samples, "feed.xml");
        start.Environment["NewsBot__Feeds__Sources__0__Name"] = "Samples";
        var output = new CapturingWriter();
        var errors = new CapturingWriter();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => output.WriteLine(e.Data);
        process.ErrorDataReceived += (_, e) => errors.WriteLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new RunningBot(process, output, errors);
    }

    private static async Task<(int Exit, string Error)> RunVerbAsync(string database, params string[] args)
    {
        var start = Start(database, "dotnet", [Path.Combine(AppContext.BaseDirectory, "newsbot.dll"), .. args]);
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await error);
    }

    private static ProcessStartInfo Start(string database, string fileName, params string[] args)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            // No appsettings.json here: the settings are the binary's defaults plus these.
            WorkingDirectory = Path.GetDirectoryName(database)!,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["NewsBot__Database"] = database;
        start.Environment.Remove("NewsBot__Discord__Token");
        start.Environment.Remove("NewsBot__Telegram__Token");
        return start;
    }

    private static async Task InterruptAsync(Process process)
    {
        using var kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync(TestContext.Current.CancellationToken);
    }
}
