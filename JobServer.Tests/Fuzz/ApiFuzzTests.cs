using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Hostile input for every API endpoint: generated bodies, route values and query strings. Each request gets what the
/// oracle says — a 2xx when the input is valid however odd, else a 4xx problem naming the field at fault — never a 5xx
/// or a hang; refused ones change nothing in the database; the server answers after every window of requests and
/// creates a valid job at the end. Failures name the seed (and scale) to replay them.
/// </summary>
public sealed class ApiFuzzTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    [Fact]
    public Task CreateJob_GeneratedBodiesForEveryJobType_AnsweredAsTheOracleSays() =>
        RunAsync((random, test) => Bodies(random, test).Jobs(FuzzSeed.Cases(300)));

    [Fact]
    public Task CreateContinuation_GeneratedBodies_AnsweredAsTheOracleSays() =>
        RunAsync((random, test) => Bodies(random, test).Jobs(FuzzSeed.Cases(100), continuations: true));

    [Fact]
    public Task CreateBatch_GeneratedBatches_AnsweredAsTheOracleSaysAndAllOrNothing() =>
        RunAsync((random, test) => Bodies(random, test).Batches(FuzzSeed.Cases(150)));

    [Fact]
    public Task BulkInsert_GeneratedBodies_AnsweredAsTheOracleSaysWithKeysComparedExactly() =>
        RunAsync((random, test) => Bodies(random, test).BulkInserts(FuzzSeed.Cases(200)));

    [Fact]
    public Task Recurring_GeneratedDefinitionsThenGarbageRouteIds_AnsweredAsTheOracleSays()
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        return RunAsync((random, test) => Bodies(random, test, defined).Recurring(FuzzSeed.Cases(150))
            .Concat(new RouteCases(random, defined).RecurringRoutes(FuzzSeed.Cases(150))));
    }

    [Fact]
    public Task JobRoutes_GarbageIdsAndMethods_Refused() =>
        RunAsync((random, _) => new RouteCases(random, new HashSet<string>()).JobRoutes(FuzzSeed.Cases(200)));

    [Fact]
    public Task Queries_GeneratedParameters_AnsweredAsTheOracleSays()
    {
        return RunAsync((random, _) =>
        {
            var routes = new RouteCases(random, new HashSet<string>());
            return routes.ListQueries(FuzzSeed.Cases(200)).Concat(routes.OtherQueries(FuzzSeed.Cases(100)));
        });
    }

    private JobBodyCases Bodies(Random random, string test, ISet<string>? recurringIds = null) =>
        new(random, test, fixture.ParentJobId, fixture.HeldProjects, recurringIds ?? new HashSet<string>());

    private async Task RunAsync(Func<Random, string, IEnumerable<FuzzCase>> generate, [CallerMemberName] string test = "")
    {
        var runner = new FuzzRunner(fixture.Client, fixture.Database, output, test);
        await runner.RunAsync(generate(FuzzSeed.For(test), test.Split('_')[0]));
        runner.AssertNoFindings();
    }
}
