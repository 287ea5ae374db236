namespace JobServer.Tests.Reliability;

/// <summary>
/// Whether each job of a set ended Succeeded exactly once: present (not lost), Succeeded, one Succeeded history row,
/// and run as often as expected — once, or twice for a job whose first run died with its server (then its history
/// names the dead server).
/// </summary>
/// <param name="UnstartedClaims">Claims given back by a live server that never started them (see
/// <c>IJobQueue.ReleaseUnknownClaims</c>): not runs, but worth counting.</param>
internal sealed record ExactlyOnceVerdict(int Expected, int Lost, int Duplicated, long UnstartedClaims, IReadOnlyList<string> Problems)
{
    public static ExactlyOnceVerdict Judge(
        IReadOnlyCollection<long> ids, IReadOnlyDictionary<long, JobRecord> records, IReadOnlySet<long>? interrupted = null, string? deadServer = null)
    {
        var problems = new List<string>();
        int lost = 0, duplicated = 0;
        long unstarted = 0;
        foreach (var id in ids)
        {
            if (!records.TryGetValue(id, out var job) || job.State != "Succeeded")
            {
                lost++;
                problems.Add(job is null ? $"job {id}: missing" : $"job {id}: {job.State}, attempts {job.Attempts}, claimed by {job.ClaimedBy ?? "nobody"}");
                continue;
            }

            unstarted += job.ClaimsNeverStarted;
            var expectedRuns = interrupted?.Contains(id) == true ? 2 : 1;
            if (job.Successes != 1 || job.Runs != expectedRuns)
            {
                duplicated++;
                problems.Add($"job {id}: {job.Successes} Succeeded rows, {job.Runs} runs (expected 1 and {expectedRuns})");
            }

            if (job.Attempts != job.Runs)
            {
                problems.Add($"job {id}: attempts {job.Attempts} but {job.Runs} runs ({job.Claims} claims, {job.ClaimsNeverStarted} never started)");
            }

            if (expectedRuns == 2 && job.Requeue?.Contains(deadServer ?? "?", StringComparison.Ordinal) != true)
            {
                problems.Add($"job {id}: interrupted, but no requeue naming {deadServer} (reason: {job.Requeue ?? "none"})");
            }
        }

        return new ExactlyOnceVerdict(ids.Count, lost, duplicated, unstarted, problems);
    }

    public override string ToString() => $"{Expected:N0} jobs: lost {Lost}, duplicated {Duplicated}, unconfirmed claims given back {UnstartedClaims}";

    public void AssertClean() =>
        Assert.True(Problems.Count == 0, $"{this}; {Problems.Count} problems, first ones:\n" + string.Join('\n', Problems.Take(20)));
}
