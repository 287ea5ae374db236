using System.Runtime.CompilerServices;
using Xunit.Abstractions;

namespace JobServer.Tests.Fuzz;

/// <summary>
/// Issue 7 §4, hostile input: generated requests for every API endpoint and field. Each one gets what the oracle says
/// (refused with a 4xx problem, or accepted when the input is valid however odd), never a 5xx or a hang; refused ones
/// change nothing in the database; the server answers after every batch. Failures name the seed to replay them.
/// </summary>
public sealed class ApiFuzzTests(FuzzFixture fixture, ITestOutputHelper output) : IClassFixture<FuzzFixture>
{
    [Fact]
    public Task CreateJob_GeneratedBodiesForEveryJobType_AnsweredAsTheOracleSays() =>
        RunAsync((random, test) => Bodies(random, test).Jobs(500));

    [Fact]
    public Task CreateContinuation_GeneratedBodies_AnsweredAsTheOracleSays() =>
        RunAsync((random, test) => Bodies(random, test).Jobs(200, continuations: true));

    [Fact]
    public Task CreateBatch_GeneratedBatches_AnsweredAsTheOracleSaysAndAllOrNothing() =>
        RunAsync((random, test) => Bodies(random, test).Batches(250));

    [Fact]
    public Task BulkInsert_GeneratedBodies_AnsweredAsTheOracleSaysWithKeysComparedExactly() =>
        RunAsync((random, test) => Bodies(random, test).BulkInserts(300));

    [Fact]
    public Task Recurring_GeneratedDefinitionsThenGarbageRouteIds_AnsweredAsTheOracleSays()
    {
        var defined = new HashSet<string>(StringComparer.Ordinal);
        return RunAsync((random, test) => Bodies(random, test, defined).Recurring(250).Concat(new RouteCases(random, defined).RecurringRoutes(250)));
    }

    [Fact]
    public Task JobRoutes_GarbageIdsAndMethods_Refused() =>
        RunAsync((random, _) => new RouteCases(random, new HashSet<string>()).JobRoutes(300));

    [Fact]
    public Task Queries_GeneratedParameters_AnsweredAsTheOracleSays()
    {
        return RunAsync((random, _) =>
        {
            var routes = new RouteCases(random, new HashSet<string>());
            return routes.ListQueries(300).Concat(routes.OtherQueries(150));
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
