namespace JobServer.Tests.Reliability;

/// <summary>
/// Whether each job of a set ended Succeeded having run as it should: present, Succeeded, one Succeeded state, and
/// one run — or, for a job a killed server held, the killed server's run and then one on a survivor that started after
/// the kill. No two runs of one job overlap unless the earlier one was the killed server's (it ended, at the latest,
/// when its process died), and only the jobs the killed server held ran more than once.
/// </summary>
internal sealed record RunVerdict(int Expected, int Lost, int RunTwice, IReadOnlyList<string> Problems)
{
    /// <param name="held">Jobs Processing on the killed server right after the kill: the ones it was running.</param>
    /// <param name="killed">Whether a server id is the killed process's.</param>
    /// <param name="killedAt">When the killed process was gone (SIGKILL delivered and the process reaped).</param>
    public static RunVerdict Judge(
        IReadOnlyCollection<string> ids, IReadOnlyDictionary<string, JobOutcome> outcomes,
        IReadOnlySet<string>? held = null, Func<string, bool>? killed = null, DateTime killedAt = default)
    {
        held ??= new HashSet<string>();
        killed ??= _ => false;
        var problems = new List<string>();
        int lost = 0, runTwice = 0;
        foreach (var id in ids)
        {
            if (!outcomes.TryGetValue(id, out var job) || job.State != "Succeeded")
            {
                lost++;
                problems.Add(job is null ? $"job {id}: missing" : $"job {id}: {job.State} after {job.Runs.Count} runs");
                continue;
            }

            if (job.Successes != 1) problems.Add($"job {id}: {job.Successes} Succeeded states");
            var expectedRuns = held.Contains(id) ? 2 : 1;
            if (job.Runs.Count > 1) runTwice++;
            if (job.Runs.Count != expectedRuns)
            {
                problems.Add($"job {id}: {job.Runs.Count} runs, expected {expectedRuns} ({(held.Contains(id) ? "the killed server held it" : "the killed server did not hold it")}): {Describe(job)}");
            }

            foreach (var (earlier, later) in Pairs(job.Runs))
            {
                // A run superseded without an outcome may only be the killed server's; it ended when its process did.
                var earlierEnd = earlier.End ?? (killed(earlier.ServerId) ? killedAt : DateTime.MaxValue);
                if (later.Start < earlierEnd)
                {
                    problems.Add($"job {id}: run {later.Attempt} on {later.ServerId} started at {later.Start:HH:mm:ss.ffffff} while run {earlier.Attempt} on {earlier.ServerId} " +
                                 $"{(earlier.End is null ? killed(earlier.ServerId) ? "was on the killed server, killed at " + killedAt.ToString("HH:mm:ss.ffffff") : "never ended" : "ended at " + earlier.End.Value.ToString("HH:mm:ss.ffffff"))}");
                }
            }

            // The outcome came from the last run; the killed server's own may only be one recorded before it died.
            var last = job.Runs[^1];
            if (last.End is null || killed(last.ServerId) && last.End > killedAt)
            {
                problems.Add($"job {id}: its last run has no outcome recorded by a live server: {Describe(job)}");
            }
        }

        return new RunVerdict(ids.Count, lost, runTwice, problems);
    }

    public override string ToString() => $"{Expected:N0} jobs: lost {Lost}, run twice {RunTwice}, problems {Problems.Count}";

    public void AssertClean() =>
        Assert.True(Problems.Count == 0, $"{this}; first ones:\n" + string.Join('\n', Problems.Take(20)));

    private static IEnumerable<(JobRun, JobRun)> Pairs(IReadOnlyList<JobRun> runs) =>
        runs.SelectMany((a, i) => runs.Skip(i + 1).Select(b => (a, b)));

    private static string Describe(JobOutcome job) =>
        string.Join("; ", job.Runs.Select(r => $"#{r.Attempt} {r.ServerId} {r.Start:HH:mm:ss.ffffff}–{r.End?.ToString("HH:mm:ss.ffffff") ?? "?"}"));
}
