using System.Net;

namespace JobServer.Hosting.Security;

/// <summary>
/// Decides whether a request comes from this machine, for the dashboard's default rule (no credentials, no policy).
/// <para>
/// Local means: the remote address is loopback (127.0.0.0/8, ::1, also IPv4-mapped), or equals the local address (a
/// connection from this machine to one of its own addresses), or neither address exists. The last case is a transport
/// without IP — the in-memory TestServer, a Unix socket, a named pipe — all of which only this machine can reach;
/// it is the rule ASP.NET Core's former <c>HttpRequest.IsLocal</c> applied. Tests simulate a remote client by setting
/// <c>HttpContext.Connection.RemoteIpAddress</c> in a middleware ahead of the app.
/// </para>
/// <para>
/// Behind a reverse proxy on the same machine every request looks local: there, configure credentials or a policy,
/// or apply the forwarded headers middleware (<c>UseForwardedHeaders</c>) so the client's own address is judged.
/// </para>
/// </summary>
internal static class RequestOrigin
{
    public static bool IsLocal(ConnectionInfo connection)
    {
        var remote = Normalize(connection.RemoteIpAddress);
        var local = Normalize(connection.LocalIpAddress);
        if (remote is null)
        {
            return local is null;
        }

        return IPAddress.IsLoopback(remote) || remote.Equals(local);
    }

    private static IPAddress? Normalize(IPAddress? address) =>
        address is { IsIPv4MappedToIPv6: true } ? address.MapToIPv4() : address;
}
