namespace JobServer.Tests.Reliability;

/// <summary>
/// One execution of a job, as Hangfire's state history records it: each time a worker starts a job it moves it to
/// Processing, naming its server. The jobs ran in other processes, so no in-memory log could count them; the history
/// is what every Hangfire storage keeps and the monitoring API shows.
/// </summary>
/// <param name="Attempt">1 for the first Processing state of the job, 2 for the next, …</param>
/// <param name="Start">When the worker started it (the Processing state's <c>StartedAt</c>).</param>
/// <param name="End">When its outcome was recorded (the next state, unless that is another Processing state: then the
/// run ended without an outcome — its server died — and the end is unknown).</param>
internal sealed record JobRun(string JobId, int Attempt, string ServerId, DateTime Start, DateTime? End);

/// <summary>What became of one job: its current state, how many Succeeded states it went through, every run.</summary>
internal sealed record JobOutcome(string JobId, string? State, int Successes, IReadOnlyList<JobRun> Runs);
