using Hangfire.Logging;

namespace JobServer.Storage.MySql.Tests.Dashboard;

/// <summary>
/// AddHangfire points Hangfire's process-wide log provider and activator at the web app's services, which die with
/// the app while other test classes still create storages and servers; the fixture puts process-neutral ones back.
/// </summary>
internal sealed class SilentLogProvider : ILogProvider, ILog
{
    public ILog GetLogger(string name) => this;

    public bool Log(LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
}
