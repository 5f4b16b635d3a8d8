using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>customer.subscription.trial_will_end becomes the normalized trial notice (with the subscription's snapshot).</summary>
public sealed class StripeTrialWillEndTests : IAsyncLifetime
{
    private static readonly Guid Account = Guid.Parse("6f1d3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f");
    private static readonly DateTimeOffset Created = DateTimeOffset.FromUnixTimeSeconds(1767225600);
    private StripeHarness _stripe = null!;

    public async Task InitializeAsync() => _stripe = await StripeHarness.StartAsync();

    public async Task DisposeAsync() => await _stripe.DisposeAsync();

    [Fact]
    public void TrialWillEnd_IsTheTrialNoticeWithTheSnapshot()
    {
        var s = StripeFixtures.Subscription("sub_1", StripeHarness.StripeProMonthly, Account);
        s["status"] = "trialing";
        s["trial_end"] = 1769904000;
        var body = StripeFiles.Event("customer.subscription.trial_will_end", s, apiVersion: "2025-03-31.basil");

        var parsed = new StripeEventNormalizer(_stripe.Services.GetRequiredService<PlanCatalog>()).Normalize(Encoding.UTF8.GetString(body));

        Assert.True(parsed.IsSuccess, parsed.Error?.Code);
        var notice = Assert.IsType<SubscriptionTrialWillEnd>(Assert.Single(parsed.Value.Events!));
        Assert.Equal((Account, "sub_1", SubscriptionStatus.Trialing), (notice.MetadataAccountId, notice.Snapshot.ProviderSubscriptionId, notice.Snapshot.Status));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1769904000), notice.Snapshot.TrialEnd);
        Assert.Equal(Created, notice.OccurredAt);
    }
}
