using System.Text.Json;
using Hangfire.Server;
using JobServer.Jobs;

namespace JobServer.Tests.HangfireJobs;

public sealed class JobTypesTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void All_TheShippedNames_EachOneFixedMethod()
    {
        Assert.Equal(["bulk-insert", "cpu", "fail", "http-aggregate", "report", "sleep"], JobTypes.All.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.All(JobTypes.All, type =>
        {
            Assert.Equal("Run", type.Method.Name);
            Assert.Contains(type.ArgumentsType, type.Method.GetParameters().Select(p => p.ParameterType));
        });
    }

    [Fact]
    public void TryCreateJob_ValidArgs_JobOfTheRegisteredMethodWithTypedArgs()
    {
        Assert.True(JobTypes.TryCreateJob("bulk-insert", Json("""{"rows": 5000, "project": "p"}"""), out var job, out var errors));

        Assert.Empty(errors);
        Assert.Equal(typeof(BulkInsertJob), job.Type);
        Assert.Equal(nameof(BulkInsertJob.Run), job.Method.Name);
        var args = Assert.IsType<BulkInsertArguments>(job.Args[0]);
        Assert.Equal((5_000, "p", "nameJams", (int?)null), (args.Rows, args.Project, args.Name, args.ChunkSize));
    }

    [Fact]
    public void TryCreateJob_UnknownName_ErrorOnType()
    {
        Assert.False(JobTypes.TryCreateJob("System.IO.File", Json("{}"), out var job, out var errors));

        Assert.Null(job);
        Assert.Equal("type", Assert.Single(errors).Field);
    }

    [Theory]
    [InlineData("""{"rows": "5000", "project": "p"}""", "rows", "must be a whole number (in range)")]
    [InlineData("""{"rows": 5000, "project": "p", "table": "users"}""", "table", "is not a known argument")]
    [InlineData("""{"rows": 0, "project": "p"}""", "rows", "must be between 1 and 10000000")]
    [InlineData("""{"rows": 5000}""", "project", "is required")]
    [InlineData("""[1, 2]""", "", "must be a JSON object")]
    public void TryCreateJob_BadBulkArgs_NamesTheField(string json, string field, string message)
    {
        Assert.False(JobTypes.TryCreateJob("bulk-insert", Json(json), out _, out var errors));

        Assert.Equal(new ArgumentError(field, message), errors[0]);
    }

    [Fact]
    public void TryCreateJob_BadUrl_NamesItsIndex()
    {
        Assert.False(JobTypes.TryCreateJob("http-aggregate", Json("""{"urls": ["http://a/", "file:///etc/passwd"]}"""), out _, out var errors));

        Assert.Equal("urls[1]", Assert.Single(errors).Field);
    }

    [Fact]
    public void TryCreateJob_ArgsAbsent_Defaults()
    {
        Assert.True(JobTypes.TryCreateJob("report", default, out var job, out _));
        Assert.IsType<ReportArguments>(job.Args[0]);
    }

    [Fact]
    public void AllowedTypes_JobClassesAndTheirParameterTypes_Only()
    {
        Type[] expected =
        [
            typeof(SleepJob), typeof(FailJob), typeof(CpuJob), typeof(HttpAggregateJob), typeof(BulkInsertJob), typeof(DailyReportJob),
            typeof(SleepArguments), typeof(FailArguments), typeof(CpuArguments), typeof(HttpAggregateArguments), typeof(BulkInsertArguments), typeof(ReportArguments),
            typeof(PerformContext), typeof(CancellationToken),
        ];

        Assert.Equal(expected.ToHashSet(), JobTypes.AllowedTypes);
    }
}
