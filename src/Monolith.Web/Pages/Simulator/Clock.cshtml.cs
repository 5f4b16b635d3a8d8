using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Web.Pages.Simulator;

/// <summary>The simulator's test clock, customers' card outcomes and delivery chaos switches.</summary>
public sealed class ClockModel(SimulatorState state, SimulatorClock clock, SimulatorChaos chaos, SimulatorWebhookDispatcher dispatcher) : PageModel
{
    public DateTimeOffset Now => clock.Now;

    public SimulatorChaos Chaos => chaos;

    public IReadOnlyList<SimulatorCustomerView> Customers { get; private set; } = [];

    public IReadOnlyList<SimulatorDelivery> Deliveries { get; private set; } = [];

    public void OnGet()
    {
        Customers = state.ListCustomers();
        Deliveries = dispatcher.RecentDeliveries.TakeLast(20).Reverse().ToList();
    }

    public async Task<IActionResult> OnPostAdvanceAsync(string step, CancellationToken cancellationToken)
    {
        var now = clock.Now;
        var by = step switch
        {
            "1d" => TimeSpan.FromDays(1),
            "7d" => TimeSpan.FromDays(7),
            "1m" => now.AddMonths(1) - now,
            _ => TimeSpan.Zero,
        };
        await clock.AdvanceAsync(by, cancellationToken);
        return RedirectToPage();
    }

    public IActionResult OnPostCard(string customerId, CardOutcome outcome)
    {
        state.SetDefaultCardOutcome(customerId, outcome);
        return RedirectToPage();
    }

    public IActionResult OnPostChaos(bool duplicates, bool shuffle, int delayMilliseconds, int failNext)
    {
        chaos.Duplicates = duplicates;
        chaos.Shuffle = shuffle;
        chaos.DelayMilliseconds = Math.Clamp(delayMilliseconds, 0, 60_000);
        chaos.FailNextDeliveries = failNext;
        return RedirectToPage();
    }
}
