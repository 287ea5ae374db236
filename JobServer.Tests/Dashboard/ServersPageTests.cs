using JobServer.Dashboard;
using JobServer.Dashboard.Pages;
using JobServer.Storage;

namespace JobServer.Tests.Dashboard;

/// <summary>The stale-server mark, rendered from fixed data: on a live database a silent server is soon recovered and removed.</summary>
public sealed class ServersPageTests
{
    private static readonly DateTime Now = new(2030, 5, 1, 10, 30, 0, DateTimeKind.Utc);

    [Fact]
    public async Task Render_HeartbeatOlderThanTimeout_MarksServerStale()
    {
        ServerInfo[] servers =
        [
            new("alive-1", ["default"], 10, 3, Now.AddHours(-1), Now.AddSeconds(-5)),
            new("silent-1", ["default", "cpu"], 4, 0, Now.AddHours(-2), Now.AddSeconds(-31)),
        ];

        var html = await RenderAsync(ServersPage.Render(Page(), servers, TimeSpan.FromSeconds(30)));

        Assert.Contains("""<tr data-testid="server-row" data-server-id="alive-1">""", html);
        Assert.Contains("""<tr data-testid="server-row" data-server-id="silent-1" class="stale">""", html);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(html, "data-testid=\"server-stale\""));
        Assert.Contains("""<td class="num" data-testid="server-workers">3 / 10</td>""", html);
        Assert.Contains(">31 s ago</time>", html);
    }

    private static PageContext Page() =>
        new(new DashboardLinks("", "/dashboard", "v1"), false, "__RequestVerificationToken", "token", null, Now, "/dashboard/servers");

    private static async Task<string> RenderAsync(Microsoft.AspNetCore.Http.IResult result)
    {
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Response.Body = new MemoryStream();
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        return await new StreamReader(context.Response.Body).ReadToEndAsync();
    }
}
