using Hangfire.States;

namespace JobServer.Tests.Reliability;

/// <summary>One execution of a soak job, as the job itself recorded it in <c>soak_run</c> (no end: cut by a SIGKILL).</summary>
internal sealed record SoakRun(long JobId, int Attempt, string ServerId, string Kind, DateTime Start, DateTime? End, string? Outcome);

/// <summary>A run started again because a kill cut the one before it: mid-run (<paramref name="OutcomeLost"/> false), or
/// after the job's own code had finished but before its server had recorded the outcome (the ledger shows an end, the
/// job's state did not move on).</summary>
internal sealed record SoakRerun(long JobId, string Kind, SoakKill Kill, TimeSpan After, bool OutcomeLost);

/// <summary>
/// Judges the soak's jobs against their scripts: each accepted job in its expected final state; runs never overlap
/// (a run cut by a kill ended, at the latest, when its process died); a job ran twice for one attempt only when a
/// kill cut the first run, and the second started after that kill; a retried job ran once per attempt; a scheduled
/// job not before its time; a continuation not before its parent's success.
/// </summary>
internal sealed class SoakVerdict(SoakFaults faults)
{
    public List<string> Problems { get; } = [];

    public List<SoakRerun> Reruns { get; } = [];

    public int Runs { get; private set; }

    public void Judge(SoakJob job, string? state, IReadOnlyList<SoakRun> runs, IReadOnlyDictionary<long, IReadOnlyList<SoakRun>> all)
    {
        Runs += runs.Count;
        if (state != job.ExpectedState)
        {
            Problems.Add($"job {job.Id} ({job.Kind}): {state ?? "missing"}, expected {job.ExpectedState}; runs: {Describe(runs)}");
        }

        var superseded = JudgeRuns(job.Id, job.Kind, runs);
        // A run whose outcome a kill swallowed counts for nothing: Hangfire never learnt of it.
        var finished = runs.Where(r => r.Outcome is not null && !superseded.Contains(r)).ToList();
        if (job.ExpectedState == SucceededState.StateName && job.Kind != "bulk")
        {
            if (finished.Count(r => r.Outcome == "succeeded") != 1) Problems.Add($"job {job.Id} ({job.Kind}): {finished.Count(r => r.Outcome == "succeeded")} successful runs: {Describe(runs)}");
            var attempts = runs.Select(r => r.Attempt).Distinct().Order().ToList();
            if (!attempts.SequenceEqual(Enumerable.Range(0, job.FailAttempts + 1))) Problems.Add($"job {job.Id} ({job.Kind}): attempts {string.Join(",", attempts)}, expected 0..{job.FailAttempts}: {Describe(runs)}");
        }

        if (job.ExpectedState == FailedState.StateName && finished.Count(r => r.Outcome == "failed") != 3)
        {
            Problems.Add($"job {job.Id} ({job.Kind}): {finished.Count(r => r.Outcome == "failed")} failed runs, expected 3: {Describe(runs)}");
        }

        if (runs.Count > 0 && runs[0].Start < job.NotBefore)
        {
            Problems.Add($"job {job.Id} ({job.Kind}): started {runs[0].Start:HH:mm:ss.fff}, before {job.NotBefore:HH:mm:ss.fff}");
        }

        if (job.ParentId is not null && runs.Count > 0)
        {
            var parentDone = all.TryGetValue(long.Parse(job.ParentId), out var parentRuns) ? parentRuns.FirstOrDefault(r => r.Outcome == "succeeded")?.End : null;
            if (parentDone is null || runs[0].Start < parentDone) Problems.Add($"continuation {job.Id} started {runs[0].Start:HH:mm:ss.fff} before its parent {job.ParentId} succeeded ({parentDone:HH:mm:ss.fff})");
        }
    }

    /// <summary>Runs never overlap, and a run without an end, or a second run of one attempt, is a kill's doing;
    /// returns the runs a later run of the same attempt superseded.</summary>
    public HashSet<SoakRun> JudgeRuns(string id, string kind, IReadOnlyList<SoakRun> runs)
    {
        var superseded = new HashSet<SoakRun>();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var killedAt = faults.KilledAt(run.ServerId);
            if (run.End is null && killedAt is null)
            {
                Problems.Add($"job {id} ({kind}): run {i + 1} on {run.ServerId} has no end, yet its server was never killed: {Describe(runs)}");
            }

            if (i + 1 < runs.Count)
            {
                var next = runs[i + 1];
                var earlierEnd = run.End ?? killedAt ?? DateTime.MaxValue;
                if (next.Start < earlierEnd) Problems.Add($"job {id} ({kind}): runs overlap: {Describe(runs)}");
                if (next.Attempt == run.Attempt)
                {
                    var kill = faults.Kills.FirstOrDefault(k => k.ServerIds.Contains(run.ServerId));
                    if (kill is not null && (run.End is null || run.End <= kill.KilledAt) && next.Start >= kill.KilledAt)
                    {
                        Reruns.Add(new SoakRerun(run.JobId, kind, kill, next.Start - kill.KilledAt, OutcomeLost: run.End is not null));
                        superseded.Add(run);
                    }
                    else
                    {
                        Problems.Add($"job {id} ({kind}): attempt {run.Attempt} ran again though no kill cut it: {Describe(runs)}");
                    }
                }
            }
        }

        if (runs.Count > 0 && runs[^1].End is null && kind != "hold")
        {
            Problems.Add($"job {id} ({kind}): its last run has no end: {Describe(runs)}");
        }

        return superseded;
    }

    internal static string Describe(IEnumerable<SoakRun> runs) =>
        string.Join("; ", runs.Select(r => $"#{r.Attempt} {r.ServerId} {r.Start:HH:mm:ss.fff}–{r.End?.ToString("HH:mm:ss.fff") ?? "?"} {r.Outcome}"));
}
