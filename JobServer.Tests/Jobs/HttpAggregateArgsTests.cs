using JobServer.Engine;
using JobServer.Hosting;
using JobServer.Jobs;
using JobServer.Jobs.HttpAggregate;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Jobs;

/// <summary>http-aggregate arguments as <c>AddJobServer</c> registers them: bad input is refused naming the field.</summary>
public sealed class HttpAggregateArgsTests
{
    private static readonly JobType Type = CreateSut();

    [Theory]
    [InlineData("""{}""", "args.urls")]
    [InlineData("""{"urls": []}""", "args.urls")]
    [InlineData("""{"urls": null}""", "args.urls")]
    [InlineData("""{"urls": ["ftp://x"]}""", "args.urls[0]")]
    [InlineData("""{"urls": ["http://a.example/", "/relative/path"]}""", "args.urls[1]")]
    [InlineData("""{"urls": ["http://a.example/", "a.example/no-scheme"]}""", "args.urls[1]")]
    [InlineData("""{"urls": [null]}""", "args.urls[0]")]
    [InlineData("""{"urls": ["http://a.example/"], "maxParallelism": 0}""", "args.maxParallelism")]
    [InlineData("""{"urls": ["http://a.example/"], "maxParallelism": 33}""", "args.maxParallelism")]
    [InlineData("""{"urls": ["http://a.example/"], "timeoutMs": 99}""", "args.timeoutMs")]
    [InlineData("""{"urls": ["http://a.example/"], "timeoutMs": "5000"}""", "args.timeoutMs")]
    public void Parse_InvalidArgs_ThrowsNamingTheField(string json, string field)
    {
        var ex = Assert.Throws<JobValidationException>(() => JobArguments.Parse(Type, json));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Parse_HundredAndOneUrls_ThrowsNamingUrls()
    {
        var urls = Enumerable.Range(0, 101).Select(i => $"http://a.example/{i}");

        var ex = Assert.Throws<JobValidationException>(() => JobArguments.Parse(Type, $$"""{"urls": [{{string.Join(",", urls.Select(u => $"\"{u}\""))}}]}"""));

        Assert.Equal("args.urls", ex.Field);
        Assert.Equal("must list 1 to 100 URLs", ex.Reason);
    }

    [Fact]
    public void Parse_HundredHttpsUrls_AcceptsWithDefaults()
    {
        var urls = Enumerable.Range(0, 100).Select(i => $"https://a.example/{i}?q=1");

        var (args, _) = JobArguments.Parse(Type, $$"""{"urls": [{{string.Join(",", urls.Select(u => $"\"{u}\""))}}]}""");

        var typed = Assert.IsType<HttpAggregateArgs>(args);
        Assert.Equal(100, typed.Urls.Count);
        Assert.Equal(8, typed.MaxParallelism);
        Assert.Equal(5_000, typed.TimeoutMs);
    }

    private static JobType CreateSut()
    {
        // The real registration; resolving the registry touches no database.
        var services = new ServiceCollection().AddLogging().AddJobServer(new ConfigurationBuilder().Build());
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<JobTypeRegistry>().Find(HttpAggregateJob.TypeName)!;
    }
}
