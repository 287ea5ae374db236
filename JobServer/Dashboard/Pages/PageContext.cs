namespace JobServer.Dashboard.Pages;

/// <summary>What every page needs besides its own data: links, whether actions are allowed and the antiforgery token
/// their forms carry, the pending flash message, the clock, and its own address (where actions return to).</summary>
internal sealed record PageContext(
    DashboardLinks Links,
    bool ReadOnly,
    string? AntiforgeryField,
    string? AntiforgeryToken,
    FlashMessage? Flash,
    DateTime Now,
    string CurrentUrl)
{
    public bool CanAct => !ReadOnly && AntiforgeryToken is not null;
}
