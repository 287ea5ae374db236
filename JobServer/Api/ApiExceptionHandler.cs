using JobServer.Jobs;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace JobServer.Api;

/// <summary>
/// The last line: exceptions that reach the pipeline become problem details with the right status. The database
/// being down is a 503 (retry later), a body the server refused to read is the status Kestrel chose (413, 400),
/// a validation failure is 400; only real bugs are 500.
/// </summary>
internal sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, title, detail) = exception switch
        {
            _ when DatabaseUnavailable.IsCause(exception) => (StatusCodes.Status503ServiceUnavailable, "The job database is unavailable.", "Try again shortly."),
            BadHttpRequestException bad => (bad.StatusCode, "The request could not be read.", bad.Message),
            InvalidJobArgumentsException invalid => (StatusCodes.Status400BadRequest, "The request is invalid.", invalid.Message),
            _ => (StatusCodes.Status500InternalServerError, "Unexpected server error.", "The error was logged."),
        };

        if (status == StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path);
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
