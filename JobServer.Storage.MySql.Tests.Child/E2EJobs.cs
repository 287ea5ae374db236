using Hangfire;
using Hangfire.Server;

namespace JobServer.Storage.MySql.Tests.Child;

/// <summary>
/// The jobs of the end-to-end tests. Each records its runs in <see cref="ExecutionLog"/> of the database named by its
/// first argument, under a tag the test chooses, so a test counts exactly its own executions in every process.
/// Hangfire fills <see cref="PerformContext"/> and <see cref="CancellationToken"/>; callers pass null / default.
/// </summary>
public static class E2EJobs
{
    /// <summary>Set in the child process: <see cref="HoldInChildProcess"/> holds there and finishes at once elsewhere.</summary>
    public const string ChildMarkerVariable = "JOBSERVER_E2E_CHILD";

    private static readonly TimeSpan LongestHold = TimeSpan.FromMinutes(2);

    public static void Record(string db, string tag, PerformContext context)
    {
        var id = JobId(context);
        ExecutionLog.Write(db, id, tag, ExecutionLog.Started);
        ExecutionLog.Write(db, id, tag, ExecutionLog.Finished);
    }

    /// <summary>Runs <paramref name="milliseconds"/>, or until Hangfire cancels the token (then throws).</summary>
    public static void Sleep(string db, string tag, int milliseconds, PerformContext context, CancellationToken token)
    {
        var id = JobId(context);
        ExecutionLog.Write(db, id, tag, ExecutionLog.Started);
        Hold(db, id, tag, TimeSpan.FromMilliseconds(milliseconds), token);
    }

    /// <summary>The first run holds until cancelled; any later run of the same job finishes at once (a resumable job).</summary>
    public static void HoldFirstRun(string db, string tag, PerformContext context, CancellationToken token)
    {
        var id = JobId(context);
        var ranBefore = ExecutionLog.Read(db, tag).Any(e => e.JobId == id && e.Event == ExecutionLog.Started);
        ExecutionLog.Write(db, id, tag, ExecutionLog.Started);
        Hold(db, id, tag, ranBefore ? TimeSpan.Zero : LongestHold, token);
    }

    /// <summary>Holds while it runs in the child process (until the process is killed), finishes at once elsewhere.</summary>
    public static void HoldInChildProcess(string db, string tag, PerformContext context, CancellationToken token)
    {
        var id = JobId(context);
        ExecutionLog.Write(db, id, tag, ExecutionLog.Started);
        var inChild = Environment.GetEnvironmentVariable(ChildMarkerVariable) == "1";
        Hold(db, id, tag, inChild ? LongestHold : TimeSpan.Zero, token);
    }

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [1])]
    public static void AlwaysFail(string db, string tag, PerformContext context)
    {
        var id = JobId(context);
        ExecutionLog.Write(db, id, tag, ExecutionLog.Started);
        ExecutionLog.Write(db, id, tag, ExecutionLog.Threw);
        throw new InvalidOperationException($"E2E failure of job {id} ({tag})");
    }

    private static void Hold(string db, long id, string tag, TimeSpan duration, CancellationToken token)
    {
        if (duration > TimeSpan.Zero && token.WaitHandle.WaitOne(duration))
        {
            ExecutionLog.Write(db, id, tag, ExecutionLog.Cancelled);
            token.ThrowIfCancellationRequested();
        }
        ExecutionLog.Write(db, id, tag, ExecutionLog.Finished);
    }

    private static long JobId(PerformContext context) =>
        long.Parse(context.BackgroundJob.Id, System.Globalization.CultureInfo.InvariantCulture);
}
