using System.Text.Json.Serialization;
using JobServer.Api;
using JobServer.Hosting;

// The content root is the output folder: appsettings.json and the repository's appsettings.Development.json are
// copied there, so the host finds them whichever directory it is started from.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.Services.AddJobServer(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.Services.AddExceptionHandler<ApiExceptionHandler>();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));

var app = builder.Build();

app.UseServerTiming();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.MapJobServer();

app.Run();

/// <summary>Exposed for WebApplicationFactory in the tests.</summary>
public partial class Program;
