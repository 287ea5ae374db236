using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using JobServer.Hosting;
using JobServer.Jobs;
using JobServer.Tests.Infrastructure;

namespace JobServer.Tests.Hosting;

/// <summary>Only this application's job, argument and state types can be activated from the database.</summary>
public sealed class AllowedJobTypesTests(TestDatabase database) : IClassFixture<TestDatabase>
{
    [Theory]
    [InlineData("JobServer.Jobs.SleepJob, JobServer")]
    [InlineData("JobServer.Jobs.BulkInsertArguments, JobServer")]
    [InlineData("System.Threading.CancellationToken, mscorlib")]
    [InlineData("System.Threading.CancellationToken")]
    [InlineData("Hangfire.Server.PerformContext, Hangfire.Core")]
    [InlineData("Hangfire.States.EnqueuedState, Hangfire.Core")]
    [InlineData("JobServer.Concurrency.ConcurrencyWaitingState, JobServer")]
    [InlineData("JobServer.Jobs.SleepJob, JobServer, Version=9.9.9.9, Culture=neutral, PublicKeyToken=null")]
    public void Resolve_ApplicationAndHangfireStateTypes_Resolve(string name) =>
        Assert.NotNull(AllowedJobTypes.Resolve(name));

    [Theory]
    [InlineData("System.Diagnostics.Process, System.Diagnostics.Process")]
    [InlineData("System.IO.File, System.Private.CoreLib")]
    [InlineData("System.IO.File, mscorlib")]
    [InlineData("System.Environment")]
    [InlineData("Hangfire.BackgroundJob, Hangfire.Core")]
    [InlineData("System.Collections.Generic.List`1[[System.Diagnostics.Process, System.Diagnostics.Process]], mscorlib")]
    [InlineData("JobServer.Jobs.SleepJob[], JobServer")]
    [InlineData("JobServer.Jobs.SleepJob, SomeOtherAssembly")]
    [InlineData("")]
    [InlineData(", JobServer")]
    public void Resolve_AnythingElse_ThrowsTypeLoadExceptionNamingIt(string name)
    {
        var error = Assert.Throws<TypeLoadException>(() => AllowedJobTypes.Resolve(name));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_AddsTheClassAndItsMethodsParameterTypes()
    {
        Assert.False(AllowedJobTypes.IsAllowed(typeof(OwnJob).AssemblyQualifiedName!));
        Assert.False(AllowedJobTypes.IsAllowed($"{typeof(OwnArguments).FullName}, {typeof(OwnArguments).Assembly.GetName().Name}"));

        AllowedJobTypes.Allow(typeof(OwnJob));

        Assert.True(AllowedJobTypes.IsAllowed(typeof(OwnJob).AssemblyQualifiedName!));
        Assert.True(AllowedJobTypes.IsAllowed($"{typeof(OwnArguments).FullName}, {typeof(OwnArguments).Assembly.GetName().Name}"));
    }

    [Fact]
    public async Task StoredJobNamingProcessStart_IsNeverActivated_EndsFailedNamingTheType()
    {
        await using var host = new JobServerFactory(database.ConnectionString);
        await host.ReadyAsync();
        var marker = Path.Combine(Path.GetTempPath(), "jobserver-allowlist-" + Guid.NewGuid().ToString("N"));

        // Hangfire's client serializes any expression; only loading it back goes through the resolver.
        var id = host.Client.Create(Job.FromExpression(() => Process.Start("touch", marker)), new EnqueuedState());
        await Eventually.UntilAsync(() => Describe(host, id), s => s.StartsWith(FailedState.StateName, StringComparison.Ordinal), TimeSpan.FromSeconds(10), $"job {id} to fail");
        var failed = host.Storage.GetConnection().GetStateData(id);

        Assert.Equal(nameof(Hangfire.Common.JobLoadException), failed.Data["ExceptionType"].Split('.')[^1]);
        Assert.Contains("'System.Diagnostics.Process, System.Diagnostics.Process' is not one of JobServer's", failed.Data["ExceptionMessage"], StringComparison.Ordinal);
        Assert.StartsWith("The job cannot be loaded", failed.Reason, StringComparison.Ordinal);
        Assert.Contains("AllowedJobTypes", failed.Data["ExceptionDetails"], StringComparison.Ordinal);
        Assert.Null(host.Storage.GetConnection().GetJobParameter(id, "RetryCount"));
        Assert.False(File.Exists(marker), "the process was started");
    }

    [Fact]
    public async Task ShippedJob_RoundTripsThroughTheResolver_AndRuns()
    {
        await using var host = new JobServerFactory(database.ConnectionString);
        await host.ReadyAsync();
        Assert.True(JobTypes.TryCreateJob("sleep", System.Text.Json.JsonDocument.Parse("""{"ms":1}""").RootElement, out var job, out _));

        var id = host.Client.Create(job, new EnqueuedState());

        await Eventually.UntilAsync(() => host.Storage.GetConnection().GetStateData(id)?.Name, s => s == SucceededState.StateName, TimeSpan.FromSeconds(30), $"job {id} to succeed");
    }

    private static string Describe(JobServerFactory host, string id)
    {
        using var connection = host.Storage.GetConnection();
        var state = connection.GetStateData(id);
        return state is null ? "(none)" : $"{state.Name}: {state.Reason}";
    }

    public sealed class OwnJob
    {
        public void Run(OwnArguments args) => _ = args;
    }

    public sealed class OwnArguments;
}
