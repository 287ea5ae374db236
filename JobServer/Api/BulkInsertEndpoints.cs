namespace JobServer.Api;

internal static class BulkInsertEndpoints
{
    public static IEndpointRouteBuilder MapBulkInsertEndpoints(this IEndpointRouteBuilder routes)
    {
        // Endpoints: POST /api/bulk-insert, GET /api/bulk-insert/count (in progress).
        return routes;
    }
}
