using JobServer.Engine;
using JobServer.Engine.Processing;
using JobServer.Hosting;
using JobServer.Jobs;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;

namespace JobServer.Tests.Engine;

/// <summary>The executor's state rules, with the storage seam mocked: which outcome each way of ending leads to.</summary>
public sealed class JobExecutorTests
{
    private const string Server = "test-server:1";

    private readonly Mock<IJobQueue> _queue = new(MockBehavior.Strict);
    private readonly ExecutionLog _log = new();
    private readonly RunningJobs _running = new();

    private JobExecutor CreateSut(int failAttempts = 3)
    {
        var services = new ServiceCollection().AddTestJobs(_log, failAttempts).BuildServiceProvider();
        var server = new ServerIdentity("test-server", DateTime.UtcNow);
        return new JobExecutor(
            new JobTypeRegistry(services.GetServices<JobType>()),
            services.GetRequiredService<IServiceScopeFactory>(),
            _queue.Object,
            new SuccessWriter(_queue.Object, server, Options.Create(new JobServerOptions()), TimeProvider.System),
            _running,
            new EngineSignals(),
            server,
            Options.Create(new JobServerOptions()),
            TimeProvider.System,
            NullLogger<JobExecutor>.Instance);
    }

    private static ClaimedJob Job(string type, string args = "{}", int attempt = 1) => new(42, type, "default", args, attempt, Lease: 7);

    private static IReadOnlyList<SucceededJob> OneSuccess() =>
        It.Is<IReadOnlyList<SucceededJob>>(l => l.Count == 1 && l[0].Job.Id == 42 && l[0].Job.Lease == 7 && l[0].ResultJson == null);

    private static ClaimedJob Claim(int attempt) => It.Is<ClaimedJob>(j => j.Id == 42 && j.Attempt == attempt && j.Lease == 7);

    [Fact]
    public async Task ExecuteAsync_HandlerSucceeds_RecordsSucceededUnderClaim()
    {
        _queue.Setup(q => q.SetSucceededIfClaimed(OneSuccess(), It.IsAny<string>(), It.IsAny<DateTime>(), It.IsAny<DateTime>())).Returns([true]);

        await CreateSut().ExecuteAsync(Job(TestJobRegistration.Record), CancellationToken.None);

        _queue.Verify(q => q.SetSucceededIfClaimed(OneSuccess(), It.Is<string>(s => s.StartsWith("test-server:")), It.IsAny<DateTime>(), It.IsAny<DateTime>()), Times.Once);
        Assert.Equal(1, _log.RunsOf(42));
        Assert.Equal(0, _running.Count);
    }

    [Fact]
    public async Task ExecuteAsync_FailsWithAttemptsLeft_SchedulesRetryWithException()
    {
        JobFailure? recorded = null;
        DateTime runAt = default, now = default;
        _queue.Setup(q => q.ScheduleRetryIfClaimed(Claim(1), It.IsAny<string>(), It.IsAny<JobFailure>(), It.IsAny<string>(), It.IsAny<DateTime>(), It.IsAny<DateTime>()))
            .Callback((ClaimedJob _, string _, JobFailure f, string _, DateTime r, DateTime n) => (recorded, runAt, now) = (f, r, n))
            .Returns(true);

        await CreateSut(failAttempts: 3).ExecuteAsync(Job(TestJobRegistration.Fail, """{"message":"disk full"}"""), CancellationToken.None);

        Assert.NotNull(recorded);
        Assert.Equal(typeof(InvalidOperationException).FullName, recorded.ExceptionType);
        Assert.Equal("disk full", recorded.Message);
        Assert.Contains("ThrowFromDeepInside", recorded.Details);
        Assert.True(runAt > now, "the retry must lie in the future");
    }

    [Fact]
    public async Task ExecuteAsync_FailsOnLastAttempt_RecordsFailed()
    {
        _queue.Setup(q => q.SetFailedIfClaimed(Claim(3), It.IsAny<string>(), It.IsAny<JobFailure>(), It.IsAny<string>(), It.IsAny<DateTime>())).Returns(true);

        await CreateSut(failAttempts: 3).ExecuteAsync(Job(TestJobRegistration.Fail, attempt: 3), CancellationToken.None);

        _queue.Verify(q => q.SetFailedIfClaimed(Claim(3), It.IsAny<string>(), It.Is<JobFailure>(f => f.Message == "boom"), It.IsAny<string>(), It.IsAny<DateTime>()), Times.Once);
    }

    [Fact]
    public async Task ExecuteAsync_UnknownType_FailsWithoutRetry()
    {
        _queue.Setup(q => q.SetFailedIfClaimed(Claim(1), It.IsAny<string>(), It.IsAny<JobFailure>(), It.IsAny<string>(), It.IsAny<DateTime>())).Returns(true);

        await CreateSut().ExecuteAsync(Job("no-such-type"), CancellationToken.None);

        _queue.Verify(q => q.SetFailedIfClaimed(Claim(1), It.IsAny<string>(), It.Is<JobFailure>(f => f.Message.Contains("no-such-type")), It.IsAny<string>(), It.IsAny<DateTime>()), Times.Once);
    }

    [Fact]
    public async Task ExecuteAsync_AttemptBeyondLimit_FailsWithoutRunningHandler()
    {
        _queue.Setup(q => q.SetFailedIfClaimed(Claim(4), It.IsAny<string>(), It.IsAny<JobFailure>(), It.IsAny<string>(), It.IsAny<DateTime>())).Returns(true);

        await CreateSut(failAttempts: 3).ExecuteAsync(Job(TestJobRegistration.Fail, attempt: 4), CancellationToken.None);

        Assert.Equal(0, _log.RunsOf(42));
        _queue.Verify(q => q.SetFailedIfClaimed(Claim(4), It.IsAny<string>(), It.IsAny<JobFailure>(), It.IsAny<string>(), It.IsAny<DateTime>()), Times.Once);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledByShutdown_ReleasesToQueue()
    {
        _queue.Setup(q => q.ReleaseIfClaimed(Claim(1), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTime>())).Returns(true);
        var execution = CreateSut().ExecuteAsync(Job(TestJobRegistration.Block), CancellationToken.None);
        await _log.StartedAsync(42);

        _running.CancelAll(CancelReason.Shutdown);
        await execution;

        _queue.Verify(q => q.ReleaseIfClaimed(Claim(1), It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTime>()), Times.Once);
    }

    [Fact]
    public async Task ExecuteAsync_CancelledByDelete_WritesNothing()
    {
        var execution = CreateSut().ExecuteAsync(Job(TestJobRegistration.Block), CancellationToken.None);
        await _log.StartedAsync(42);

        Assert.True(_running.Cancel(42, CancelReason.Deleted));
        await execution;

        // Strict mock: any write would have thrown.
        Assert.Single(_log.Cancellations);
    }

    [Fact]
    public async Task ExecuteAsync_InvalidStoredArgs_FailsWithoutRetry()
    {
        _queue.Setup(q => q.SetFailedIfClaimed(Claim(1), It.IsAny<string>(), It.IsAny<JobFailure>(), It.IsAny<string>(), It.IsAny<DateTime>())).Returns(true);

        await CreateSut().ExecuteAsync(Job(TestJobRegistration.Record, """{"sleepMs":"soon"}"""), CancellationToken.None);

        Assert.Equal(0, _log.RunsOf(42));
        _queue.Verify(q => q.SetFailedIfClaimed(Claim(1), It.IsAny<string>(), It.Is<JobFailure>(f => f.Message.Contains("args.sleepMs")), It.IsAny<string>(), It.IsAny<DateTime>()), Times.Once);
    }
}
