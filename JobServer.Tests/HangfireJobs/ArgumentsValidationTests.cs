using JobServer.Jobs;

namespace JobServer.Tests.HangfireJobs;

/// <summary>The same ranges as the old engine's jobs, every error naming its JSON field.</summary>
public sealed class ArgumentsValidationTests
{
    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(3_600_000, true)]
    [InlineData(3_600_001, false)]
    public void Sleep_Ms_ZeroToOneHour(int ms, bool valid) => AssertValid(new SleepArguments { Ms = ms }, valid, "ms");

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(50_000_000, true)]
    [InlineData(50_000_001, false)]
    public void Cpu_N_TwoToFiftyMillion(int n, bool valid) => AssertValid(new CpuArguments { N = n }, valid, "n");

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(10_000_000, true)]
    [InlineData(10_000_001, false)]
    public void BulkInsert_Rows_OneToTenMillion(int rows, bool valid) => AssertValid(new BulkInsertArguments { Rows = rows, Project = "p" }, valid, "rows");

    [Theory]
    [InlineData(999, false)]
    [InlineData(1_000, true)]
    [InlineData(1_000_000, true)]
    [InlineData(1_000_001, false)]
    public void BulkInsert_ChunkSize_OneThousandToOneMillion(int chunkSize, bool valid) =>
        AssertValid(new BulkInsertArguments { Rows = 1, Project = "p", ChunkSize = chunkSize }, valid, "chunkSize");

    [Fact]
    public void BulkInsert_ProjectMissing_IsRequired()
    {
        var error = Assert.Single(new BulkInsertArguments { Rows = 1 }.Validate());
        Assert.Equal(new ArgumentError("project", "is required"), error);
    }

    [Fact]
    public void HttpAggregate_Defaults_EightAtOnceFiveSeconds()
    {
        var args = new HttpAggregateArguments { Urls = ["https://example.com/"] };
        Assert.Empty(args.Validate());
        Assert.Equal((8, 5_000), (args.MaxParallelism, args.TimeoutMs));
    }

    [Fact]
    public void HttpAggregate_BadUrlsAndRanges_NameEachField()
    {
        var errors = new HttpAggregateArguments { Urls = ["https://ok.example/", "ftp://x/", "not a url"], MaxParallelism = 33, TimeoutMs = 99 }.Validate();

        Assert.Equal(["urls[1]", "urls[2]", "maxParallelism", "timeoutMs"], errors.Select(e => e.Field));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void HttpAggregate_UrlCount_OneToHundred(int count)
    {
        var urls = Enumerable.Range(0, count).Select(i => $"http://127.0.0.1/{i}").ToArray();
        Assert.Equal("urls", Assert.Single(new HttpAggregateArguments { Urls = urls }.Validate()).Field);
    }

    [Fact]
    public void Fail_EmptyMessage_IsRequired() =>
        Assert.Equal("message", Assert.Single(new FailArguments { Message = "" }.Validate()).Field);

    private static void AssertValid(IJobArguments args, bool valid, string field)
    {
        var errors = args.Validate();
        if (valid)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Equal(field, Assert.Single(errors).Field);
        }
    }
}
