using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using NewsBot.Platforms;
using NewsBot.Platforms.Telegram;

namespace NewsBot.Tests.Platforms.Telegram;

/// <summary>Only the process that leads the receiver role polls; one that loses the role stops and the next one goes on from the stored offset.</summary>
public sealed class TelegramReceiverLeadershipTests
{
    private const long User = 7002;

    [Fact]
    public async Task Polling_OnlyWhileLeading_StopsOnLossAndResumesFromStoredOffset()
    {
        var leadership = new SwitchedLeadership();
        await using var bot = await TelegramBotHarness.CreateAsync([new FeedItem("s1", "Harbour opens", DateTimeOffset.UnixEpoch.AddYears(56))]);
        var host = await bot.StartHostAsync(configure: b =>
        {
            b.Logging.AddFakeLogging();
            b.Services.AddSingleton<ILeadership>(leadership);
        });
        bot.Fake.EnqueuePrivateMessage(User, "/help");
        await leadership.Waiting(1).WaitAsync(TelegramBotHarness.Patience, TestContext.Current.CancellationToken);

        // Not leading: not one getUpdates, so this process can never be the second poller Telegram answers 409.
        Assert.DoesNotContain(bot.Fake.Calls, c => c.Method.Equals("getUpdates", StringComparison.OrdinalIgnoreCase));

        leadership.Grant();
        await bot.MessagesToAsync(User, 1);
        await bot.Fake.WaitForWaitingPollAsync(TestContext.Current.CancellationToken);
        leadership.Revoke();
        await leadership.Waiting(2).WaitAsync(TelegramBotHarness.Patience, TestContext.Current.CancellationToken);

        // Back to waiting for the role: an update now stays with Telegram until a leader polls again.
        bot.Fake.EnqueuePrivateMessage(User, "/help");
        Assert.Single(bot.Fake.SentMessages, m => m.ChatId == User);
        leadership.Grant();
        var replies = await bot.MessagesToAsync(User, 2);

        Assert.Equal(2, replies.Count);
        Assert.Equal(0, bot.Fake.ConflictCount);
        Assert.Contains(host.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Message.Contains("stopped polling", StringComparison.Ordinal));
    }

    /// <summary>A leadership the test hands out and takes back, as a cluster's election would.</summary>
    private sealed class SwitchedLeadership : ILeadership
    {
        private readonly Lock _lock = new();
        private readonly List<TaskCompletionSource> _waitingFor = [];
        private TaskCompletionSource<CancellationToken> _granted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private CancellationTokenSource? _lead;
        private int _waits;

        public Task<CancellationToken> WaitToLeadAsync(string role, CancellationToken cancellationToken)
        {
            Assert.Equal(TelegramReceiverService.LeadershipRole, role);
            lock (_lock)
            {
                _waits++;
                foreach (var waiter in _waitingFor)
                {
                    if (waiter.Task.AsyncState is int count && _waits >= count)
                    {
                        waiter.TrySetResult();
                    }
                }

                return _granted.Task.WaitAsync(cancellationToken);
            }
        }

        /// <summary>Completes once the receiver has asked to lead <paramref name="count"/> times.</summary>
        public Task Waiting(int count)
        {
            lock (_lock)
            {
                var waiter = new TaskCompletionSource(count, TaskCreationOptions.RunContinuationsAsynchronously);
                if (_waits >= count)
                {
                    waiter.TrySetResult();
                }

                _waitingFor.Add(waiter);
                return waiter.Task;
            }
        }

        public void Grant()
        {
            lock (_lock)
            {
                _lead = new CancellationTokenSource();
                _granted.TrySetResult(_lead.Token);
            }
        }

        public void Revoke()
        {
            lock (_lock)
            {
                _granted = new TaskCompletionSource<CancellationToken>(TaskCreationOptions.RunContinuationsAsynchronously);
                _lead?.Cancel();
            }
        }
    }
}
