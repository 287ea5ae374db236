using JobServer.Dashboard.Html;
using JobServer.Storage;

namespace JobServer.Dashboard.Pages;

/// <summary>Every registered server with its queues, busy and total workers, start and last heartbeat. A server silent
/// for longer than the server timeout is marked: a live server will soon declare it dead and requeue its jobs.</summary>
internal static class ServersPage
{
    public static HtmlPage Render(PageContext page, IReadOnlyList<ServerInfo> servers, TimeSpan serverTimeout) =>
        Layout.Render(page, "Servers", Section.Servers, html =>
        {
            html.Add($"""<h1>Servers <small>{servers.Count}</small></h1>""");
            if (servers.Count == 0)
            {
                html.Add($"""<p class="empty-note" data-testid="no-servers">No server is running. Jobs wait until one starts.</p>""");
                return;
            }

            html.Add($"""
                <table class="table" data-testid="server-table">
                <thead><tr><th>Server</th><th>Queues</th><th class="num">Workers busy / total</th><th>Started</th><th>Last heartbeat</th><th>Status</th></tr></thead>
                <tbody>
                """);
            foreach (var server in servers)
            {
                var silent = page.Now - server.HeartbeatAt > serverTimeout;
                html.Add($"""
                    <tr data-testid="server-row" data-server-id="{server.Id}"{Markup.If(silent, $" class=\"stale\"")}>
                      <td data-testid="server-id">{server.Id}</td>
                      <td data-testid="server-queues">{string.Join(", ", server.Queues)}</td>
                      <td class="num" data-testid="server-workers">{server.Busy} / {server.Workers}</td>
                      <td>{Fragments.Ago(server.StartedAt, page.Now)}</td>
                      <td data-testid="server-heartbeat">{Fragments.Ago(server.HeartbeatAt, page.Now)}</td>
                      <td>{(silent
                          ? Markup.Of($"""<span class="badge stale" data-testid="server-stale" title="No heartbeat for longer than the server timeout ({Fragments.Duration(serverTimeout)})">No heartbeat</span>""")
                          : Markup.Of($"""<span class="badge alive" data-testid="server-alive">Alive</span>"""))}</td>
                    </tr>
                    """);
            }

            html.Add($"</tbody></table>");
        });
}
