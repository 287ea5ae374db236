using System.Reflection;
using System.Reflection.Emit;
using Hangfire;
using Hangfire.Common;
using Hangfire.InMemory;
using Hangfire.States;
using Hangfire.Storage;
using JobServer.Storage.MySql.Tests.Infrastructure;

namespace JobServer.Storage.MySql.Tests.Contract;

/// <summary>Jobs: creation, data and parameters, states, expiry, and creation inside a transaction.</summary>
public abstract class JobContract : StorageContract
{
    private static Job Greeting() => Job.FromExpression(() => ContractJobs.Greet("world", 3));

    [Fact]
    public void CreateExpiredJob_ThenGetJobData_RoundTripsWithoutState()
    {
        var createdAt = DateTime.UtcNow;
        var id = Connect().CreateExpiredJob(Greeting(), new Dictionary<string, string?> { ["CurrentCulture"] = "en-US", ["Empty"] = null },
            createdAt, TimeSpan.FromHours(1));

        var data = Connect().GetJobData(id);

        Assert.NotNull(data);
        Assert.Null(data.LoadException);
        Assert.Null(data.State);
        Assert.Equal(typeof(ContractJobs), data.Job.Type);
        Assert.Equal(nameof(ContractJobs.Greet), data.Job.Method.Name);
        Assert.Equal(["world", 3], data.Job.Args);
        Assert.Equal(DateTimeKind.Utc, data.CreatedAt.Kind);
        // InMemory stamps its own clock at creation, ours stores the given time: both are "now" within a few seconds.
        Assert.InRange(data.CreatedAt, createdAt.AddSeconds(-5), createdAt.AddSeconds(5));
        Assert.NotNull(data.ParametersSnapshot);
        Assert.Equal("en-US", data.ParametersSnapshot["CurrentCulture"]);
        Assert.Null(data.ParametersSnapshot["Empty"]);
        Assert.Equal(2, data.ParametersSnapshot.Count);
    }

    [Fact]
    public void CreateExpiredJob_Twice_DistinctIds()
    {
        Assert.NotEqual(CreateJob(), CreateJob());
    }

    [Theory]
    [InlineData("987654321")]
    [InlineData("not-a-job")]
    [InlineData("")]
    [InlineData("-1")]
    public void GetJobData_UnknownOrGarbageId_Null(string id)
    {
        var connection = Connect();

        Assert.Null(connection.GetJobData(id));
        Assert.Null(connection.GetStateData(id));
        Assert.Null(connection.GetJobParameter(id, "name"));
    }

    [Fact]
    public void GetJobData_NullId_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => Connect().GetJobData(null!));
    }

    [Fact]
    public void SetJobParameter_OnConnection_ReadBackAndOverwritten()
    {
        var id = CreateJob(new Dictionary<string, string?> { ["RetryCount"] = "0" });
        var connection = Connect();

        connection.SetJobParameter(id, "RetryCount", "1");
        connection.SetJobParameter(id, "New", "value");

        Assert.Equal("1", connection.GetJobParameter(id, "RetryCount"));
        Assert.Equal("value", connection.GetJobParameter(id, "New"));
        Assert.Null(connection.GetJobParameter(id, "Missing"));
        Assert.Equal("1", connection.GetJobData(id)!.ParametersSnapshot["RetryCount"]);
    }

    [Fact]
    public void SetJobParameter_InTransaction_VisibleAfterCommit()
    {
        var id = CreateJob();

        Commit(t => t.SetJobParameter(id, "Continuations", "[]"));

        Assert.Equal("[]", Connect().GetJobParameter(id, "Continuations"));
    }

    [Fact]
    public void SetJobParameter_GarbageId_Ignored()
    {
        var connection = Connect();

        connection.SetJobParameter("not-a-job", "name", "value");

        Assert.Null(connection.GetJobParameter("not-a-job", "name"));
    }

    [Fact]
    public void SetJobState_ThenGetStateData_NameReasonAndData()
    {
        var id = CreateJob();

        Commit(t => t.SetJobState(id, new EnqueuedState("critical") { Reason = "Triggered by test" }));
        var connection = Connect();
        var state = connection.GetStateData(id);

        Assert.NotNull(state);
        Assert.Equal(EnqueuedState.StateName, state.Name);
        Assert.Equal("Triggered by test", state.Reason);
        Assert.Equal("critical", state.Data["Queue"]);
        Assert.True(state.Data.ContainsKey("EnqueuedAt"));
        Assert.Equal(EnqueuedState.StateName, connection.GetJobData(id)!.State);
    }

    [Fact]
    public void SetJobState_Twice_LatestIsCurrent()
    {
        var id = CreateJob();
        Commit(t => t.SetJobState(id, new EnqueuedState()));

        Commit(t => t.SetJobState(id, new ScheduledState(TimeSpan.FromMinutes(5))));

        var state = Connect().GetStateData(id);
        Assert.Equal(ScheduledState.StateName, state!.Name);
        Assert.True(state.Data.ContainsKey("EnqueueAt"));
    }

    [Fact]
    public void AddJobState_AfterSetJobState_CurrentStateUnchanged()
    {
        var id = CreateJob();
        Commit(t => t.SetJobState(id, new EnqueuedState()));

        Commit(t => t.AddJobState(id, new FailedState(new InvalidOperationException("boom"))));

        var connection = Connect();
        Assert.Equal(EnqueuedState.StateName, connection.GetStateData(id)!.Name);
        Assert.Equal(EnqueuedState.StateName, connection.GetJobData(id)!.State);
    }

    [Fact]
    public void GetStateData_JobWithoutState_Null()
    {
        Assert.Null(Connect().GetStateData(CreateJob()));
    }

    [Fact]
    public void ExpireJob_ThenPersistJob_JobStaysReadable()
    {
        var id = CreateJob();

        Commit(t => t.ExpireJob(id, TimeSpan.FromHours(1)));
        Assert.NotNull(Connect().GetJobData(id));

        Commit(t => t.PersistJob(id));
        Assert.NotNull(Connect().GetJobData(id));
    }

    [Fact]
    public void CreateJob_InTransaction_InvisibleUntilCommit()
    {
        var other = Connect();
        using var connection = Storage.GetConnection();
        using var transaction = (JobStorageTransaction)connection.CreateWriteTransaction();

        var id = transaction.CreateJob(Greeting(), new Dictionary<string, string?> { ["p"] = "v" }, DateTime.UtcNow, TimeSpan.FromHours(1));
        transaction.SetJobState(id, new EnqueuedState());
        Assert.Null(other.GetJobData(id));

        transaction.Commit();
        var data = other.GetJobData(id);
        Assert.NotNull(data);
        Assert.Equal(EnqueuedState.StateName, data.State);
        Assert.Equal("v", other.GetJobParameter(id, "p"));
    }

    [Fact]
    public void CreateJob_TransactionDisposedWithoutCommit_NoJob()
    {
        string id;
        using (var connection = Storage.GetConnection())
        using (var transaction = (JobStorageTransaction)connection.CreateWriteTransaction())
        {
            id = transaction.CreateJob(Greeting(), new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));
        }

        Assert.Null(Connect().GetJobData(id));
    }

    [Fact]
    public void GetJobData_TypeCannotBeLoaded_LoadExceptionNotThrown()
    {
        var id = Connect().CreateExpiredJob(new Job(VanishingMethod()), new Dictionary<string, string?>(), DateTime.UtcNow, TimeSpan.FromHours(1));

        var data = Connect().GetJobData(id);

        Assert.NotNull(data);
        Assert.Null(data.Job);
        Assert.IsType<JobLoadException>(data.LoadException);
        Assert.NotNull(data.InvocationData);
    }

    /// <summary>
    /// A static method of a type in a run-only dynamic assembly: Hangfire serializes its name, but no assembly of that
    /// name can ever be loaded again, as after a deployment removed the job's code.
    /// </summary>
    private static MethodInfo VanishingMethod()
    {
        var assembly = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("Vanished" + Guid.NewGuid().ToString("N")), AssemblyBuilderAccess.Run);
        var type = assembly.DefineDynamicModule("Vanished").DefineType("VanishedJobs", TypeAttributes.Public | TypeAttributes.Abstract | TypeAttributes.Sealed);
        type.DefineMethod("Run", MethodAttributes.Public | MethodAttributes.Static, typeof(void), Type.EmptyTypes).GetILGenerator().Emit(OpCodes.Ret);
        return type.CreateType().GetMethod("Run")!;
    }
}

public sealed class JobContractOnInMemory : JobContract
{
    protected override JobStorage CreateStorage() => new InMemoryStorage();
}

public sealed class JobContractOnMySql(MySqlTestDatabase db) : JobContract, IClassFixture<MySqlTestDatabase>
{
    protected override JobStorage CreateStorage() => db.CreateStorage();
}
