using JobServer.Dashboard.Pages;
using JobServer.Engine;
using JobServer.Engine.Scheduling;
using JobServer.Storage;

namespace JobServer.Dashboard;

/// <summary>The recurring jobs page and its actions: trigger now, pause, resume, delete. The definition's id travels
/// as a form field, so ids with any characters need no URL escaping.</summary>
internal static class RecurringPageEndpoints
{
    public static RouteGroupBuilder MapRecurringPageEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/recurring", (HttpContext http, PageContextFactory pages, IRecurringJobManager manager) =>
            RecurringPage.Render(pages.Create(http), manager.List(nextOccurrences: 1)));
        foreach (var action in (string[])["trigger", "pause", "resume", "delete"])
        {
            group.MapPost("/recurring/" + action, (HttpContext http, PageContextFactory pages, IRecurringJobManager manager) => ActAsync(action, http, pages, manager));
        }

        return group;
    }

    private static async Task<IResult> ActAsync(string action, HttpContext http, PageContextFactory pages, IRecurringJobManager manager)
    {
        var links = pages.Links(http);
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var id = form["id"].ToString();
        return Redirects.Back(http, links, form, id.Length == 0 ? new FlashMessage("No recurring job was named.", IsError: true) : Apply(action, id, manager));
    }

    private static FlashMessage Apply(string action, string id, IRecurringJobManager manager)
    {
        try
        {
            return action switch
            {
                "trigger" => manager.Trigger(id) is { } created ? new($"Triggered \"{id}\": job {created.Id} is {created.State}.", false) : Missing(id),
                "pause" => manager.Pause(id) ? new($"Paused \"{id}\".", false) : Missing(id),
                "resume" => manager.Resume(id) ? new($"Resumed \"{id}\" from its next occurrence.", false) : Missing(id),
                _ => manager.Remove(id) ? new($"Deleted the recurring job \"{id}\".", false) : Missing(id),
            };
        }
        catch (ConcurrencyLimitReachedException)
        {
            return new($"\"{id}\" was not triggered: a job with the same concurrency key is in flight.", true);
        }
        catch (JobValidationException ex)
        {
            return new($"\"{id}\" was not triggered: {ex.Message}", true);
        }
    }

    private static FlashMessage Missing(string id) => new($"There is no recurring job \"{(id.Length <= 100 ? id : id[..100] + "…")}\".", true);
}
