using System.Text;

namespace JobServer.Dashboard.Html;

/// <summary>
/// A rendered dashboard page as an <see cref="IResult"/>, with the headers every dashboard page carries: never
/// cached (it shows live state and antiforgery tokens), no inline script or style and nothing from other origins
/// (Content-Security-Policy: a defence in depth behind the encoding), never framed.
/// </summary>
internal sealed class HtmlPage(Markup html, int statusCode = StatusCodes.Status200OK) : IResult
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public int StatusCode => statusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/html; charset=utf-8";
        AddSecurityHeaders(response);
        response.Headers.CacheControl = "no-cache, no-store";
        response.Headers.Pragma = "no-cache";
        return response.WriteAsync(html.Value, Encoding.UTF8, httpContext.RequestAborted);
    }

    public static void AddSecurityHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.XFrameOptions = "DENY";
        response.Headers["Referrer-Policy"] = "same-origin";
    }
}
