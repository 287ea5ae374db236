using System.Text;

namespace JobServer.Tests.Fuzz;

/// <summary>A dashboard form as a browser would post it, from any fields at all: URL-encoded (escaped by hand, so
/// any text can go) or multipart.</summary>
internal static class FormBody
{
    public const string UrlEncoded = "application/x-www-form-urlencoded";

    public static (byte[] Body, string ContentType) Encode(IEnumerable<KeyValuePair<string, string>> fields, bool multipart)
    {
        if (!multipart)
        {
            return (Encoding.UTF8.GetBytes(string.Join("&", fields.Select(f => $"{UrlText.Escape(f.Key)}={UrlText.Escape(f.Value)}"))), UrlEncoded);
        }

        const string Boundary = "fuzz-boundary-7d1f";
        var body = new StringBuilder();
        foreach (var (name, value) in fields)
        {
            // Quotes and line breaks in a name would end the header early: a browser escapes them as %22, %0D and %0A.
            var safeName = name.Replace("\"", "%22").Replace("\r", "%0D").Replace("\n", "%0A");
            body.Append($"--{Boundary}\r\nContent-Disposition: form-data; name=\"{safeName}\"\r\n\r\n{value}\r\n");
        }

        body.Append($"--{Boundary}--\r\n");
        return (Encoding.UTF8.GetBytes(body.ToString()), $"multipart/form-data; boundary={Boundary}");
    }
}
