using JobServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace JobServer.Tests.Browser;

/// <summary>The real host (<see cref="JobServerFactory"/>) on Kestrel at a free port of 127.0.0.1, so a browser can reach it.</summary>
internal sealed class KestrelJobServer : IAsyncDisposable
{
    private KestrelJobServer(JobServerFactory factory, Uri address) => (Factory, Address) = (factory, address);

    public JobServerFactory Factory { get; }

    public Uri Address { get; }

    public static async Task<KestrelJobServer> StartAsync(TestDatabase database, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>()) { ["urls"] = "http://127.0.0.1:0" };
        var factory = new JobServerFactory(database.ConnectionString, values);
        factory.UseKestrel(0);
        factory.StartServer();
        await factory.ReadyAsync();
        var address = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelJobServer(factory, new Uri(address));
    }

    /// <summary>An address on this server, e.g. <c>Url("/hangfire/jobs/failed")</c>.</summary>
    public string Url(string path) => new Uri(Address, path).ToString();

    public ValueTask DisposeAsync() => Factory.DisposeAsync();
}
