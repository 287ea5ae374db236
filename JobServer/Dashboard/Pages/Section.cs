namespace JobServer.Dashboard.Pages;

/// <summary>The top-level sections, for the navigation bar.</summary>
internal enum Section
{
    Overview,
    Jobs,
    Recurring,
    Servers,
    Queues,
}
