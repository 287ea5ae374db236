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
            // A form ASP.NET Core's reader refuses (a NUL, over 1,024 fields, a value over 4 MB) when a dashboard
            // command or page reads it: the client's fault, as a body the server refused to read.
            InvalidDataException when IsFormReader(exception) => (StatusCodes.Status400BadRequest, "The form could not be read.", exception.Message),
            // Antiforgery that cannot read the form it looks for its token in throws instead of answering "invalid".
            Microsoft.AspNetCore.Antiforgery.AntiforgeryValidationException => (StatusCodes.Status400BadRequest, "The form could not be read.", exception.InnerException?.Message ?? exception.Message),
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

    private static bool IsFormReader(Exception exception) =>
        exception.TargetSite?.DeclaringType?.Namespace is "Microsoft.AspNetCore.WebUtilities" or "Microsoft.AspNetCore.Http.Features";

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, string path);
}
