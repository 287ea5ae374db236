using JobServer.Dashboard.Pages;
using JobServer.Engine;
using JobServer.Engine.Client;
using JobServer.Storage;

namespace JobServer.Dashboard;

/// <summary>
/// Requeue and delete, for one job (from its page) or the jobs checked on a list. Each is a POST form that
/// <see cref="Security.DashboardAccessFilter"/> has already checked (access, read-only, antiforgery token); the answer
/// is a redirect back to the page the form was on, which shows the outcome once (Post/Redirect/Get).
/// </summary>
internal static class JobActionEndpoints
{
    /// <summary>More than a list page holds, fewer than would keep a request busy for long.</summary>
    public const int MaxJobsPerAction = 100;

    public static RouteGroupBuilder MapJobActionEndpoints(this RouteGroupBuilder group)
    {
        group.MapPost("/jobs/requeue", (HttpContext http, IJobClient client, PageContextFactory pages) =>
            ActAsync(http, pages, "Requeued", id => Requeue(client, id)));
        group.MapPost("/jobs/delete", (HttpContext http, IJobClient client, PageContextFactory pages) =>
            ActAsync(http, pages, "Deleted", id => client.Delete(id) switch
            {
                // A job deleted twice is deleted, as asked.
                { Outcome: ChangeOutcome.NotFound } => "not found",
                _ => null,
            }));
        return group;
    }

    /// <summary>Applies <paramref name="change"/> (which returns why a job was skipped, or null) to every id posted.</summary>
    private static async Task<IResult> ActAsync(HttpContext http, PageContextFactory pages, string verb, Func<long, string?> change)
    {
        var links = pages.Links(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var ids = new List<long>();
        foreach (var value in form["ids"])
        {
            if (!WholeNumber.TryParse(value, out var id) || id < 1)
            {
                return Redirects.Back(http, links, form, new FlashMessage($"\"{value}\" is not a job id.", IsError: true));
            }

            ids.Add(id);
        }

        if (ids.Count == 0)
        {
            return Redirects.Back(http, links, form, new FlashMessage("Select at least one job first.", IsError: true));
        }

        if (ids.Count > MaxJobsPerAction)
        {
            return Redirects.Back(http, links, form, new FlashMessage($"At most {MaxJobsPerAction} jobs at a time.", IsError: true));
        }

        var skipped = new List<string>();
        foreach (var id in ids.Distinct())
        {
            if (change(id) is { } reason)
            {
                skipped.Add($"job {id} {reason}");
            }
        }

        var done = ids.Distinct().Count() - skipped.Count;
        var text = (done == 1 && skipped.Count == 0 ? $"{verb} job {ids[0]}." : $"{verb} {done} job{(done == 1 ? "" : "s")}.")
            + (skipped.Count == 0 ? "" : $" Skipped {string.Join("; ", skipped.Take(5))}{(skipped.Count > 5 ? $" and {skipped.Count - 5} more" : "")}.");
        return Redirects.Back(http, links, form, new FlashMessage(text, IsError: done == 0));
    }

    private static string? Requeue(IJobClient client, long id)
    {
        try
        {
            return client.Requeue(id) switch
            {
                { Outcome: ChangeOutcome.Changed } => null,
                { Outcome: ChangeOutcome.NotFound } => "not found",
                var refused => $"is {refused.PreviousState} (not requeued)",
            };
        }
        catch (ConcurrencyLimitReachedException)
        {
            return "waits for its concurrency key (a job with the same key is in flight)";
        }
    }
}
