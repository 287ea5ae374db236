using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>Generated bodies for every endpoint that creates jobs or definitions: <c>POST /api/jobs</c> (each job type,
/// and continuations), <c>POST /api/jobs/batch</c>, <c>POST /api/bulk-insert</c>, <c>PUT /api/recurring/{id}</c>.</summary>
internal sealed class JobBodyCases(Random random, string test, long parentJobId, HeldProjects projects, ISet<string> recurringIds)
{
    private readonly BodyCases _bodies = new(random);
    private int _serial;

    public IEnumerable<FuzzCase> Jobs(int count, bool continuations = false)
    {
        for (var i = 0; i < count; i++)
        {
            var (type, args) = continuations ? ("sleep", ApiSchemas.SleepArgs) : HostileStrings.Pick(random, ApiSchemas.JobTypes);
            var model = NewJob(type, args, continuations);
            yield return i % 97 == 96
                ? _bodies.Huge(HttpMethod.Post, "/api/jobs", model, BulkInsertsOf)
                : Labelled(type, _bodies.Next(HttpMethod.Post, "/api/jobs", model, BulkInsertsOf));
        }
    }

    public IEnumerable<FuzzCase> BulkInserts(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var model = new BodyModel(ApiSchemas.BulkInsertBody);
            var (project, @class) = projects.Next(random, test);
            model.Set("project", Literal.String(project, @class));
            Func<BodyModel, Outcome> onValid = m => projects.Take([m.TextOf("project")!]);
            yield return i % 97 == 96
                ? _bodies.Huge(HttpMethod.Post, "/api/bulk-insert", model, onValid)
                : _bodies.Next(HttpMethod.Post, "/api/bulk-insert", model, onValid);
        }
    }

    public IEnumerable<FuzzCase> Recurring(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var id = Literal.String($"fz-r{++_serial}", "template");
            var label = "";
            if (random.Next(5) == 0)
            {
                // A route value is text whatever it looks like: 1e400 or null are ids like any other.
                var hostile = HostileValues.For(ApiSchemas.RecurringId, random);
                id = hostile.Text is null ? Literal.String(hostile.Json, hostile.Class) : hostile;
                if (!UrlText.IsPathSegment(id.Text!))
                {
                    continue;
                }

                label = $"route id ← {BodyModel.Describe(id)}; ";
            }

            var url = "/api/recurring/" + UrlText.Escape(id.Text!);
            var fuzzCase = i % 97 == 96
                ? _bodies.Huge(HttpMethod.Put, url, new BodyModel(ApiSchemas.Recurring), _ => Outcome.Accepted)
                : _bodies.Next(HttpMethod.Put, url, new BodyModel(ApiSchemas.Recurring), _ => Outcome.Accepted);
            if (ApiSchemas.RecurringId.Accepts(id) != true)
            {
                fuzzCase = fuzzCase with { Expected = Outcome.Refused, Faults = fuzzCase.Expected == Outcome.Refused ? [.. fuzzCase.Faults, "id"] : ["id"] };
            }

            if (fuzzCase.Expected == Outcome.Accepted)
            {
                recurringIds.Add(id.Text!);
            }

            yield return fuzzCase with { Label = label + fuzzCase.Label };
        }
    }

    /// <summary>Batches of 1-4 jobs, one of them mutated, or the list itself broken; and one all-or-nothing batch of
    /// ten thousand jobs (about 10 MB) whose last job names a parent that does not exist.</summary>
    public IEnumerable<FuzzCase> Batches(int count)
    {
        yield return AllOrNothingBatch();
        for (var i = 0; i < count; i++)
        {
            var items = Enumerable.Range(0, random.Next(1, 5)).Select(_ => HostileStrings.Pick(random, ApiSchemas.BatchJobTypes)).Select(t => NewJob(t.Type, t.Args)).ToList();
            var roll = random.Next(100);
            if (roll < 12)
            {
                var (jobs, @class) = HostileStrings.Pick(random, BrokenLists(items));
                yield return FuzzCase.Json($"jobs ← {@class}", HttpMethod.Post, "/api/jobs/batch", $"{{\"jobs\":{jobs}}}", Outcome.Refused) with { Faults = ["jobs"] };
                continue;
            }

            if (roll < 14)
            {
                // A bulk insert's limit refuses extra jobs under its key's lock, one job at a time: never in a batch.
                var bulk = NewJob("bulk-insert", ApiSchemas.BulkInsertArgs);
                items.Insert(random.Next(items.Count + 1), bulk);
                var at = items.IndexOf(bulk);
                yield return FuzzCase.Json($"a valid bulk-insert at jobs[{at}]", HttpMethod.Post, "/api/jobs/batch", $"{{\"jobs\":[{string.Join(",", items.Select(m => m.Render()))}]}}", Outcome.Refused)
                    with { Faults = [$"jobs[{at}].type"] };
                continue;
            }

            var mutated = random.Next(items.Count);
            var label = roll < 17 ? "unchanged batch" : $"jobs[{mutated}].{items[mutated].Mutate(random)}";
            List<string> faults = [.. items[mutated].Touched.Select(path => $"jobs[{mutated}].{path}")];
            var json = $"{{\"jobs\":[{string.Join(",", items.Select(m => m.Render()))}]}}";
            var verdict = items.Select(item => item.Judge()).Aggregate((bool?)true, BodyModel.Both);
            if (i % 97 == 96)
            {
                // Ten megabytes fit the batch's 16 MB limit: buried in whitespace, a valid batch is still accepted.
                var (bytes, @class, validJson) = MalformedBodies.Huge(random, json);
                verdict = validJson ? verdict : false;
                label = $"{label}; body {@class}";
                faults.Add("pad");
                json = Encoding.UTF8.GetString(bytes);
            }

            var expected = verdict switch { true => Outcome.Accepted, false => Outcome.Refused, null => Outcome.Either };
            yield return FuzzCase.Json(label, HttpMethod.Post, "/api/jobs/batch", json, expected) with { Faults = faults };
        }
    }

    private BodyModel NewJob(string type, BodySchema args, bool continuation = false)
    {
        var model = new BodyModel(ApiSchemas.Job(type, args, parentJobId, continuation));
        if (type == "bulk-insert")
        {
            var (project, @class) = projects.Next(random, test);
            model.NestedOf("args")!.Set("project", Literal.String(project, @class));
        }

        return model;
    }

    private Outcome BulkInsertsOf(BodyModel job) => projects.Take(ProjectsOf([job]));

    private static List<string> ProjectsOf(IEnumerable<BodyModel> jobs) =>
        jobs.Where(j => j.TextOf("type") == "bulk-insert").Select(j => j.NestedOf("args")?.TextOf("project")).OfType<string>().ToList();

    private static (string Jobs, string Class)[] BrokenLists(List<BodyModel> items) =>
    [
        ("[]", "empty list"), ("null", "null"), ("{}", "object"), ("\"jobs\"", "string"), (items[0].Render(), "one job, not a list"),
        ($"[{string.Join(",", Enumerable.Repeat("{\"type\":\"sleep\"}", 10_001))}]", "10,001 jobs"), ("[[]]", "list of lists"), ("[null]", "list of null"),
        ("[1e400]", "list of numbers"),
    ];

    private FuzzCase AllOrNothingBatch()
    {
        var message = Literal.String(new string('中', 330), "long-unicode").Json;
        var job = $"{{\"type\":\"fail\",\"args\":{{\"message\":{message}}},\"queue\":\"{FuzzFixture.IdleQueue}\"}}";
        var json = new StringBuilder("{\"jobs\":[");
        json.Insert(json.Length, job + ",", 9_999).Append("{\"type\":\"sleep\",\"after\":987654321987}]}");
        return FuzzCase.Json("10,000 jobs (10 MB), the last after a missing parent", HttpMethod.Post, "/api/jobs/batch", json.ToString(), Outcome.Refused)
            with { Faults = ["jobs[9999].after"] };
    }

    private static FuzzCase Labelled(string type, FuzzCase fuzzCase) => fuzzCase with { Label = $"{type}: {fuzzCase.Label}" };
}
