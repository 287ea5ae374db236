using System.Net;
using Microsoft.AspNetCore.Http;

using JobServer.Hosting.Security;

namespace JobServer.Tests.Dashboard;

public sealed class RequestOriginTests
{
    [Theory]
    [InlineData("127.0.0.1", "127.0.0.1")]
    [InlineData("127.0.0.2", "10.0.0.5")]
    [InlineData("::1", "::1")]
    [InlineData("::ffff:127.0.0.1", "::ffff:127.0.0.1")]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData(null, null)]
    public void IsLocal_LoopbackOwnAddressOrNoAddresses_IsLocal(string? remote, string? local) =>
        Assert.True(RequestOrigin.IsLocal(Connection(remote, local)));

    [Theory]
    [InlineData("203.0.113.9", "10.0.0.5")]
    [InlineData("10.0.0.6", "10.0.0.5")]
    [InlineData("::ffff:203.0.113.9", "::1")]
    [InlineData("203.0.113.9", null)]
    [InlineData(null, "10.0.0.5")]
    public void IsLocal_AnyOtherAddress_IsRemote(string? remote, string? local) =>
        Assert.False(RequestOrigin.IsLocal(Connection(remote, local)));

    private static ConnectionInfo Connection(string? remote, string? local)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = remote is null ? null : IPAddress.Parse(remote);
        context.Connection.LocalIpAddress = local is null ? null : IPAddress.Parse(local);
        return context.Connection;
    }
}
