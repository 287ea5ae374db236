using System.Resources;
using System.Security.Cryptography;
using System.Text;

namespace JobServer.Dashboard;

/// <summary>
/// The dashboard's one stylesheet and one script, hand-written in <c>Assets/</c> and compiled into the assembly:
/// <c>Assets/DashboardAssets.resx</c> references both files, and .resx files are embedded by default, so no project
/// entry is needed and nothing is ever loaded from another site. <see cref="Version"/> changes with their content and
/// goes into the URLs, so browsers may cache them for good.
/// </summary>
internal sealed class DashboardAssets
{
    private readonly Dictionary<string, (byte[] Content, string ContentType)> _files;

    public DashboardAssets()
    {
        var resources = new ResourceManager("JobServer.Dashboard.Assets.DashboardAssets", typeof(DashboardAssets).Assembly);
        _files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal)
        {
            ["dashboard.css"] = (Read(resources, "dashboard.css"), "text/css; charset=utf-8"),
            ["dashboard.js"] = (Read(resources, "dashboard.js"), "text/javascript; charset=utf-8"),
        };
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (content, _) in _files.Values)
        {
            hash.AppendData(content);
        }

        Version = Convert.ToHexString(hash.GetHashAndReset())[..12].ToLowerInvariant();
    }

    public string Version { get; }

    public bool TryGet(string name, out byte[] content, out string contentType)
    {
        var found = _files.TryGetValue(name, out var file);
        (content, contentType) = found ? file : ([], "");
        return found;
    }

    private static byte[] Read(ResourceManager resources, string name) =>
        Encoding.UTF8.GetBytes(resources.GetString(name) ?? throw new InvalidOperationException($"The dashboard asset {name} is not embedded."));
}
