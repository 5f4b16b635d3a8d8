using Monolith.Infrastructure.Billing.Catalog;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Web.Pages.Simulator;

/// <summary>The simulator's hosted pages in words: test-card outcomes, the provider's statuses ("past_due" → "Past due").</summary>
internal static class SimulatorText
{
    /// <summary>The test cards the hosted checkout lists, with what each does (any expiry and CVC).</summary>
    public static readonly IReadOnlyList<(string Number, CardOutcome Outcome)> TestCards =
    [
        ("4242 4242 4242 4242", CardOutcome.Succeeds),
        ("4000 0000 0000 0002", CardOutcome.Declined),
        ("4000 0000 0000 9995", CardOutcome.InsufficientFunds),
        ("4000 0025 0000 3155", CardOutcome.RequiresAuthentication),
    ];

    public static string Outcome(CardOutcome outcome) => outcome switch
    {
        CardOutcome.Succeeds => "Succeeds",
        CardOutcome.Declined => "Declined",
        CardOutcome.InsufficientFunds => "Insufficient funds",
        CardOutcome.RequiresAuthentication => "Requires authentication (3-D Secure)",
        _ => "Unknown",
    };

    public static string Status(string providerStatus) => CatalogCopy.Words(providerStatus);
}
