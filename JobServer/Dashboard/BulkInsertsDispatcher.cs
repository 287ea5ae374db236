using System.Globalization;
using Hangfire;
using Hangfire.Dashboard;
using JobServer.Jobs;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace JobServer.Dashboard;

/// <summary>
/// <c>GET {dashboard}/bulk-inserts</c> shows the page; <c>POST</c> starts a bulk insert from its form. A started job
/// answers 303 to the page (so reloading it does not start another); a refused form is shown again, filled in, with
/// 422 and the fields at fault, or 409 naming the bulk insert that holds the project. The dashboard's filter has
/// refused a POST in read-only mode and Hangfire's middleware one without a valid antiforgery token, before this runs.
/// </summary>
internal sealed class BulkInsertsDispatcher : IDashboardDispatcher
{
    public async Task Dispatch(DashboardContext context)
    {
        var http = context.GetHttpContext();
        var form = BulkInsertForm.Empty;
        BulkInsertStart? outcome = null;
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (context.IsReadOnly)
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }

            form = http.Request.HasFormContentType ? BulkInsertForm.Read(await http.Request.ReadFormAsync()) : form;
            outcome = BulkInsertStart.Try(form, http.RequestServices.GetRequiredService<IBackgroundJobClient>());
            if (outcome.JobId is { } jobId)
            {
                http.Response.StatusCode = StatusCodes.Status303SeeOther;
                http.Response.Headers.Location = new UrlHelper(context).To(BulkInsertsDashboard.Route) + "?started=" + Uri.EscapeDataString(jobId);
                return;
            }

            http.Response.StatusCode = outcome.Conflict is not null ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
        }
        else if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            http.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        var started = http.Request.Query["started"].ToString();
        var startedId = long.TryParse(started, NumberStyles.None, CultureInfo.InvariantCulture, out _) ? started : null;
        var overview = await BulkInsertsOverview.LoadAsync(context.Storage, http.RequestServices.GetRequiredService<ApiDataDatabase>(), startedId);
        var antiforgeryField = http.RequestServices.GetService<IOptions<AntiforgeryOptions>>()?.Value.FormFieldName;
        var page = new BulkInsertsPage(overview, form, outcome, startedId, antiforgeryField);
        await Render(page).Dispatch(context);
    }

    /// <summary>Hangfire's page dispatcher (which gives a page its context, URL helper and layout) is internal; a
    /// one-route collection is the public way to have it render a page built for this request.</summary>
    private static IDashboardDispatcher Render(RazorPage page)
    {
        var routes = new Hangfire.Dashboard.RouteCollection();
        routes.AddRazorPage("/", _ => page);
        return routes.FindDispatcher("/").Item1;
    }
}
