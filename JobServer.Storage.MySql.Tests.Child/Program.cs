using Hangfire;
using JobServer.Storage.MySql;
using JobServer.Storage.MySql.Tests.Child;

// A Hangfire server on the MySQL storage in a process of its own. The test starts it, waits for "ready" on stdout,
// and kills it (SIGKILL) or closes stdin for a graceful stop.
//   env JOBSERVER_CHILD_DB   connection string of the test database
//   args --workers N --invisibility-ms N --keep-alive-ms N --heartbeat-ms N --queues a,b
var connectionString = Environment.GetEnvironmentVariable(ChildArguments.ConnectionStringVariable)
    ?? throw new InvalidOperationException($"{ChildArguments.ConnectionStringVariable} is not set.");
var arguments = ChildArguments.Parse(args);
Environment.SetEnvironmentVariable(E2EJobs.ChildMarkerVariable, "1");

using var storage = new MySqlStorage(connectionString, new MySqlStorageOptions
{
    InvisibilityTimeout = arguments.InvisibilityTimeout,
    KeepAliveInterval = arguments.KeepAliveInterval,
});
using var server = new BackgroundJobServer(new BackgroundJobServerOptions
{
    ServerName = $"e2e-child-{Environment.ProcessId}",
    WorkerCount = arguments.Workers,
    Queues = arguments.Queues,
    HeartbeatInterval = arguments.HeartbeatInterval,
    SchedulePollingInterval = TimeSpan.FromMilliseconds(200),
    ShutdownTimeout = TimeSpan.FromSeconds(5),
}, storage);

Console.WriteLine(ChildArguments.ReadyLine);
Console.Out.Flush();
// Blocks until the parent closes stdin or dies (the pipe closes then too): the child never outlives its test.
Console.In.ReadToEnd();
