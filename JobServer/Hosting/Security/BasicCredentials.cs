using System.Security.Cryptography;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace JobServer.Hosting.Security;

/// <summary>
/// Checks an <c>Authorization: Basic …</c> header against the configured user name and password. Both are compared
/// as SHA-256 digests with <see cref="CryptographicOperations.FixedTimeEquals"/>, so the time taken reveals neither
/// how many leading characters matched nor the secret's length; user and password are always both compared.
/// </summary>
internal sealed class BasicCredentials(string username, string password)
{
    /// <summary>What a 401 answer asks the browser for; the browser then shows its log-in prompt.</summary>
    public const string Challenge = "Basic realm=\"JobServer\", charset=\"UTF-8\"";

    private readonly byte[] _username = Digest(username);
    private readonly byte[] _password = Digest(password);

    public bool Accepts(string? authorizationHeader)
    {
        if (!TryParse(authorizationHeader, out var givenUser, out var givenPassword))
        {
            return false;
        }

        var userMatches = CryptographicOperations.FixedTimeEquals(Digest(givenUser), _username);
        var passwordMatches = CryptographicOperations.FixedTimeEquals(Digest(givenPassword), _password);
        return userMatches & passwordMatches;
    }

    private static bool TryParse(string? header, out string user, out string password)
    {
        user = password = "";
        if (header is null || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            return false;
        }

        (user, password) = (decoded[..colon], decoded[(colon + 1)..]);
        return true;
    }

    private static byte[] Digest(string value) => SHA256.HashData(Encoding.UTF8.GetBytes(value));

    internal static void WriteChallengeHeader(HttpResponse response) => response.Headers[HeaderNames.WWWAuthenticate] = Challenge;
}
