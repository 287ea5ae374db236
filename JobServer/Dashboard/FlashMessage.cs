namespace JobServer.Dashboard;

/// <summary>
/// The one-line outcome of an action, shown once on the page the action redirects to (Post/Redirect/Get). It travels
/// in a short-lived cookie scoped to the dashboard, so a reload or a shared link never repeats it and no URL carries
/// text a third party could craft.
/// </summary>
internal sealed record FlashMessage(string Text, bool IsError)
{
    private const string CookieName = "JobServer.Dashboard.Flash";
    private const int MaxLength = 300;

    public void Store(HttpContext context, string cookiePath)
    {
        var text = Text.Length <= MaxLength ? Text : Text[..MaxLength] + "…";
        context.Response.Cookies.Append(CookieName, (IsError ? "e:" : "i:") + Uri.EscapeDataString(text), Options(context, cookiePath));
    }

    /// <summary>Reads the pending message, if any, and removes it so it shows only once.</summary>
    public static FlashMessage? Take(HttpContext context, string cookiePath)
    {
        if (!context.Request.Cookies.TryGetValue(CookieName, out var value) || value.Length < 2)
        {
            return null;
        }

        context.Response.Cookies.Delete(CookieName, Options(context, cookiePath));
        return new FlashMessage(Uri.UnescapeDataString(value[2..]), value.StartsWith("e:", StringComparison.Ordinal));
    }

    private static CookieOptions Options(HttpContext context, string cookiePath) => new()
    {
        Path = cookiePath,
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Strict,
        IsEssential = true,
        MaxAge = TimeSpan.FromMinutes(1),
    };
}
