using JobServer.Engine;
using JobServer.Jobs;
using JobServer.Jobs.BulkInsert;
using JobServer.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Engine;

/// <summary>Argument errors name the JSON field and say what is wrong in JSON terms, never in C# terms.</summary>
public sealed class JobArgumentsTests
{
    private static readonly JobType BulkInsert = new ServiceCollection().AddShippedJobs().BuildServiceProvider()
        .GetServices<JobType>().Single(t => t.Name == BulkInsertJob.TypeName);

    [Theory]
    [InlineData("""{"project": "p"}""", "args.rows", "is required")]
    [InlineData("""{"rows": 0, "project": "p"}""", "args.rows", "must be between 1 and 10000000")]
    [InlineData("""{"rows": "many", "project": "p"}""", "args.rows", "must be a whole number (in range)")]
    [InlineData("""{"rows": 1e40, "project": "p"}""", "args.rows", "must be a whole number (in range)")]
    [InlineData("""{"rows": 5, "project": ""}""", "args.project", "is required")]
    [InlineData("""{"rows": 5, "project": "p", "name": "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcde"}""", "args.name", "must be 1-64 characters")]
    [InlineData("""{"rows": 5, "project": 7}""", "args.project", "must be a string")]
    [InlineData("""{"rows": 5, "project": "p", "color": "red"}""", "args.color", "is not a known argument")]
    [InlineData("""{"Rows": 5, "project": "p"}""", "args.Rows", "is not a known argument")]
    public void Parse_InvalidArgs_NamesFieldInJsonTerms(string json, string field, string reason)
    {
        var error = Assert.Throws<JobValidationException>(() => JobArguments.Parse(BulkInsert, json));

        Assert.Equal(field, error.Field);
        Assert.Equal(reason, error.Reason);
        Assert.DoesNotContain("System.", error.Message);
    }

    [Fact]
    public void Parse_ValidArgs_ReturnsTypedArgsAndCanonicalJson()
    {
        var (args, json) = JobArguments.Parse(BulkInsert, """{"project": "p1", "rows": 10}""");

        var typed = Assert.IsType<BulkInsertArgs>(args);
        Assert.Equal(10, typed.Rows);
        Assert.Equal("nameJams", typed.Name);
        Assert.Equal("""{"rows":10,"name":"nameJams","project":"p1","chunkSize":null}""", json);
    }
}
