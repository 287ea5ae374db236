namespace JobServer.Dashboard;

/// <summary>The answer to every dashboard action: 303 See Other back to the page the form came from, with the outcome as a
/// flash message. The return address comes from the form and is only followed inside the dashboard.</summary>
internal static class Redirects
{
    public static IResult Back(HttpContext http, DashboardLinks links, IFormCollection form, FlashMessage flash)
    {
        flash.Store(http, links.Home);
        var returnUrl = form["returnUrl"].ToString();
        http.Response.Headers.Location = links.IsInside(returnUrl) ? returnUrl : links.Home;
        return TypedResults.StatusCode(StatusCodes.Status303SeeOther);
    }
}
