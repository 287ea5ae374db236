using System.Text.Json;
using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Engine.States;
using JobServer.Jobs.Cpu;
using JobServer.Storage;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Jobs;

/// <summary>The shipped cpu job, run by a real engine on the real database with the "cpu" queue at one worker per core.</summary>
public sealed class CpuJobTests(TestDatabase database) : IClassFixture<TestDatabase>, IAsyncLifetime
{
    private readonly CpuJobHold _hold = new();
    private TestEngine _engine = null!;

    public async Task InitializeAsync()
    {
        database.Reset();
        var settings = new Dictionary<string, string?>
        {
            ["Queues:1:Name"] = CpuJob.QueueName,
            ["Queues:1:Workers"] = "0",
        };
        _engine = await TestEngine.Create(database.ConnectionString, settings, s => HeldCpuJob.Register(s, _hold)).StartAsync();
    }

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task Enqueue_NHundredThousand_Counts9592PrimesOnCpuQueue()
    {
        var id = _engine.Client.Enqueue(CpuJob.TypeName, new CpuArgs { N = 100_000 });

        var job = await WaitForStateAsync(id, JobState.Succeeded);

        Assert.Equal(CpuJob.QueueName, job.Summary.Queue);
        var result = JsonDocument.Parse(job.ResultJson!).RootElement;
        Assert.Equal(100_000, result.GetProperty("n").GetInt32());
        Assert.Equal(9_592, result.GetProperty("primes").GetInt32());
        Assert.True(result.GetProperty("ms").GetInt64() >= 0);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50_000_001)]
    public void Enqueue_NOutOfRange_IsRefusedNamingN(int n)
    {
        var ex = Assert.Throws<JobValidationException>(() => _engine.Client.Enqueue(CpuJob.TypeName, new CpuArgs { N = n }));

        Assert.Equal("args.n", ex.Field);
    }

    [Fact]
    public void Create_NMissing_IsRefusedNamingN()
    {
        var ex = Assert.Throws<JobValidationException>(() => _engine.Client.Create(new JobRequest(CpuJob.TypeName, "{}")));

        Assert.Equal("args.n", ex.Field);
    }

    [Fact]
    public async Task Delete_RunningHugeN_StopsTheSieveAndEndsDeleted()
    {
        var id = _engine.Client.Enqueue(HeldCpuJob.TypeName, new CpuArgs { N = 50_000_000 });
        var sieved = await _hold.Held.Task.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.InRange(sieved, 1, 50_000_000 - 1);

        var change = _engine.Client.Delete(id);

        Assert.Equal(ChangeOutcome.Changed, change.Outcome);
        Assert.Equal(JobState.Processing, change.PreviousState);
        await _hold.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var job = await WaitForStateAsync(id, JobState.Deleted);
        Assert.Equal(CpuJob.QueueName, job.Summary.Queue);
        Assert.Null(job.ResultJson);
    }

    private Task<JobDetails> WaitForStateAsync(long id, JobState state) =>
        Eventually.UntilAsync(() => _engine.Reader.GetJob(id)!, j => j.Summary.State == state, TimeSpan.FromSeconds(30), $"job {id} to be {state}");
}
