using Monolith.Domain.Billing.Accounts;

namespace Monolith.Domain.Tests.Billing;

public sealed class BillingAccountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void LinkCustomer_SameIdTwice_IsIdempotent()
    {
        var account = Open();
        account.LinkCustomer("stripe", "cus_1", T0);
        var events = account.DomainEvents.Count;

        Assert.True(account.LinkCustomer("Stripe", "cus_1", T0.AddDays(1)).IsSuccess);
        Assert.Single(account.Customers);
        Assert.Equal(events, account.DomainEvents.Count);
    }

    [Fact]
    public void LinkCustomer_OtherIdSameProvider_IsConflict()
    {
        var account = Open();
        account.LinkCustomer("stripe", "cus_1", T0);

        Assert.Equal(BillingAccountErrors.CustomerAlreadyLinked, account.LinkCustomer("stripe", "cus_2", T0).Error);
        Assert.Equal("cus_1", account.CustomerIdFor("stripe"));
    }

    [Fact]
    public void LinkCustomer_OtherProvider_AddsSecondCustomer()
    {
        var account = Open();
        account.LinkCustomer("stripe", "cus_1", T0);

        Assert.True(account.LinkCustomer("inmemory", "sim_1", T0).IsSuccess);
        Assert.Equal("sim_1", account.CustomerIdFor("inmemory"));
    }

    [Fact]
    public void MarkTrialUsed_Twice_SecondIsRefused()
    {
        var account = Open();
        Assert.True(account.MarkTrialUsed(T0).IsSuccess);

        Assert.Equal(BillingAccountErrors.TrialAlreadyUsed, account.MarkTrialUsed(T0).Error);
        Assert.True(account.HasUsedTrial);
    }

    private static BillingAccount Open() => BillingAccount.Open(Guid.NewGuid(), Guid.NewGuid(), T0).Value;
}
