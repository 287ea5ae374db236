namespace JobServer.Dashboard;

/// <summary>Serves the embedded stylesheet and script. Pages link them with the content's version in the query, so a
/// request carrying the current version may be cached for good; any other is revalidated by ETag.</summary>
internal static class AssetEndpoints
{
    public static RouteGroupBuilder MapAssetEndpoints(this RouteGroupBuilder group)
    {
        group.MapGet("/assets/{name}", Asset);
        return group;
    }

    private static IResult Asset(string name, string? v, HttpContext http, DashboardAssets assets)
    {
        if (!assets.TryGet(name, out var content, out var contentType))
        {
            return TypedResults.NotFound();
        }

        var etag = $"\"{assets.Version}\"";
        http.Response.Headers.ETag = etag;
        http.Response.Headers.CacheControl = v == assets.Version ? "private, max-age=31536000, immutable" : "no-cache";
        return http.Request.Headers.IfNoneMatch == etag
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Bytes(content, contentType);
    }
}
