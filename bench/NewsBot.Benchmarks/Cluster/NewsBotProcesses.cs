using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace NewsBot.Benchmarks.Cluster;

/// <summary>A process start or a SIGKILL, on the system clock.</summary>
public sealed record ProcessEvent(int Slot, string Kind, DateTimeOffset At)
{
    public const string Started = "started";
    public const string Killed = "killed";
}

/// <summary>A process of the run exited although the run did not kill it: the run cannot go on. The message ends with the process's last log lines.</summary>
public sealed class UnexpectedExitException(string message) : Exception(message);

/// <summary>
/// N real <c>newsbot</c> hosts as child processes (<c>dotnet newsbot.dll</c>), each configured by its environment,
/// optionally pinned to one core (<c>taskset -c</c>). Kills with SIGKILL, restarts, and runs the kill schedule of a
/// proof: every K seconds one running process killed, in turn, and started again R seconds later. A process that
/// exits when the run did not kill it (refused to start: configuration, usage or database error; or crashed) fails the
/// run at once: <see cref="WatchAsync"/> throws with the end of its log. Each start logs to its own file.
/// </summary>
public sealed class NewsBotProcesses : IAsyncDisposable
{
    /// <summary>Lines of a log shown when its process exited on its own: a refusal's one line, or the end of a crash.</summary>
    private const int LogLinesShown = 8;

    private readonly string _newsbot;
    private readonly string _workingFolder;
    private readonly Func<int, Dictionary<string, string>> _environmentOf;
    private readonly Func<int, int?> _cpuOf;
    private readonly Process?[] _running;
    private readonly int[] _starts;
    private readonly ConcurrentQueue<ProcessEvent> _events = new();
    private readonly ConcurrentDictionary<int, byte> _killedByUs = new();
    private readonly List<Task> _restarts = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _exitedOnItsOwn = new();
    private readonly Lock _lock = new();
    private string? _unexpectedExit;

    public NewsBotProcesses(int count, string newsbot, string workingFolder, string logFolder, Func<int, Dictionary<string, string>> environmentOf, Func<int, int?>? cpuOf = null)
    {
        if (!File.Exists(newsbot))
        {
            throw new FileNotFoundException($"The NewsBot host was not found at {newsbot}: build bench/NewsBot.Benchmarks (it copies newsbot.dll beside itself) or pass --newsbot.", newsbot);
        }

        _newsbot = newsbot;
        _workingFolder = workingFolder;
        LogFolder = logFolder;
        _environmentOf = environmentOf;
        _cpuOf = cpuOf ?? (_ => null);
        _running = new Process?[count];
        _starts = new int[count];
        Directory.CreateDirectory(logFolder);
    }

    public int Count => _running.Length;

    public string LogFolder { get; }

    public IReadOnlyList<ProcessEvent> Events => [.. _events.OrderBy(e => e.At)];

    public int RunningCount
    {
        get
        {
            lock (_lock)
            {
                return _running.Count(p => p is { HasExited: false });
            }
        }
    }

    public void StartAll()
    {
        for (var slot = 0; slot < Count; slot++)
        {
            Start(slot);
        }
    }

    public void Start(int slot)
    {
        var cpu = _cpuOf(slot);
        var start = new ProcessStartInfo(cpu is null ? DotnetHost() : "taskset")
        {
            WorkingDirectory = _workingFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (cpu is { } core ? ["-c", core.ToString(CultureInfo.InvariantCulture), DotnetHost()] : Array.Empty<string>()).Append(_newsbot))
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environmentOf(slot))
        {
            start.Environment[name] = value;
        }

        lock (_lock)
        {
            if (_running[slot] is { HasExited: false })
            {
                return;
            }

            var logPath = Path.Combine(LogFolder, string.Create(CultureInfo.InvariantCulture, $"p{slot}-{++_starts[slot]}.log"));
            var log = new ProcessLog(logPath);
            var process = new Process { StartInfo = start, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, line) => log.Write(line.Data);
            process.ErrorDataReceived += (_, line) => log.Write(line.Data);
            process.Exited += (_, _) => OnExited(slot, process, log, logPath);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _running[slot] = process;
            _events.Enqueue(new ProcessEvent(slot, ProcessEvent.Started, TimeProvider.System.GetUtcNow()));
        }
    }

    /// <summary>SIGKILL: no shutdown code runs, leases and connections are left as they were.</summary>
    public void Kill(int slot)
    {
        lock (_lock)
        {
            if (_running[slot] is not { HasExited: false } process)
            {
                return;
            }

            _killedByUs[process.Id] = 0;
            process.Kill();
            _events.Enqueue(new ProcessEvent(slot, ProcessEvent.Killed, TimeProvider.System.GetUtcNow()));
        }
    }

    /// <summary>
    /// Until <paramref name="duration"/> has passed: every <paramref name="every"/>, kills the next running process in
    /// turn and starts it again <paramref name="restartAfter"/> later (a restart may fall after the duration).
    /// </summary>
    public async Task RunKillScheduleAsync(TimeSpan every, TimeSpan restartAfter, TimeSpan duration, TextWriter progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var next = 0;
        for (var round = 1; every * round < duration; round++)
        {
            await Task.Delay((every * round) - clock.Elapsed is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, cancellationToken);
            var slot = Enumerable.Range(0, Count).Select(i => (next + i) % Count).Cast<int?>().FirstOrDefault(IsRunning);
            if (slot is not { } victim)
            {
                await progress.WriteLineAsync($"  {clock.Elapsed.TotalSeconds,6:F0} s: no process running to kill");
                continue;
            }

            Kill(victim);
            next = victim + 1;
            await progress.WriteLineAsync($"  {clock.Elapsed.TotalSeconds,6:F0} s: SIGKILL p{victim}; back in {restartAfter.TotalSeconds:F0} s");
            RestartLater(victim, restartAfter);
        }

        await Task.Delay(duration - clock.Elapsed is { Ticks: > 0 } rest ? rest : TimeSpan.Zero, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a token that is also cancelled when a process exits without being killed by
    /// the run; then throws, naming the process, its exit code and the end of its log, instead of waiting for work the
    /// process will never do.
    /// </summary>
    public async Task<T> WatchAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var watched = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _exitedOnItsOwn.Token);
        try
        {
            return await work(watched.Token);
        }
        catch (OperationCanceledException) when (_exitedOnItsOwn.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UnexpectedExitException(Volatile.Read(ref _unexpectedExit)!);
        }
    }

    /// <summary>Waits for every restart still scheduled, so the drain runs with every process up.</summary>
    public async Task WaitForRestartsAsync()
    {
        Task[] pending;
        lock (_lock)
        {
            pending = [.. _restarts];
        }

        await Task.WhenAll(pending).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await WaitForRestartsAsync();
        Process?[] running;
        lock (_lock)
        {
            running = [.. _running];
        }

        foreach (var process in running.OfType<Process>())
        {
            if (!process.HasExited)
            {
                _killedByUs[process.Id] = 0;
                process.Kill();
            }

            await process.WaitForExitAsync(CancellationToken.None);
            process.Dispose();
        }

        _stopping.Dispose();
        // _exitedOnItsOwn stays: an Exited handler of a process that ended on its own may still cancel it, and a
        // source without a timer or a wait handle holds nothing to release.
    }

    private bool IsRunning(int? slot)
    {
        lock (_lock)
        {
            return slot is { } s && _running[s] is { HasExited: false };
        }
    }

    private void RestartLater(int slot, TimeSpan delay)
    {
        lock (_lock)
        {
            _restarts.Add(Task.Run(async () =>
            {
                await Task.Delay(delay, _stopping.Token);
                Start(slot);
            }));
        }
    }

    private void OnExited(int slot, Process process, ProcessLog log, string logPath)
    {
        if (_killedByUs.ContainsKey(process.Id))
        {
            log.Close();
            return;
        }

        // The Exited event can come before the last output lines: waiting for the end of both streams keeps them.
        process.WaitForExit();
        log.Close();
        var end = File.ReadLines(logPath).TakeLast(LogLinesShown);
        Volatile.Write(ref _unexpectedExit, $"p{slot} exited on its own (exit code {process.ExitCode}, log {logPath}); its log ends:{Environment.NewLine}{string.Join(Environment.NewLine, end)}");
        _exitedOnItsOwn.Cancel();
    }

    private static string DotnetHost() => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>One start's output; lines that arrive after the process exited are dropped.</summary>
    private sealed class ProcessLog(string path)
    {
        private readonly StreamWriter _writer = new(path) { AutoFlush = true };
        private bool _closed;

        public void Write(string? line)
        {
            lock (_writer)
            {
                if (line is not null && !_closed)
                {
                    _writer.WriteLine(line);
                }
            }
        }

        public void Close()
        {
            lock (_writer)
            {
                _closed = true;
                _writer.Dispose();
            }
        }
    }
}
