using Monolith.Domain.Billing.Accounts;

namespace Monolith.Domain.Tests.Billing;

public sealed class BillingAccountTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ChangeBillingEmail_InTheApp_SetsItOnceAndRaisesOneEventWithoutProvider()
    {
        var account = Open();
        var before = account.DomainEvents.Count;

        Assert.True(account.ChangeBillingEmail(" billing@acme.test ", T0).IsSuccess);
        Assert.True(account.ChangeBillingEmail("billing@acme.test", T0.AddMinutes(1)).IsSuccess);

        Assert.Equal(("billing@acme.test", (DateTimeOffset?)T0), (account.BillingEmail, account.BillingEmailChangedAt));
        var changed = Assert.IsType<BillingEmailChanged>(Assert.Single(account.DomainEvents.Skip(before)));
        Assert.Equal(("billing@acme.test", (string?)null), (changed.Email, changed.Provider));
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-at-sign")]
    [InlineData("@acme.test")]
    [InlineData("billing@")]
    [InlineData("bill ing@acme.test")]
    public void ChangeBillingEmail_NotAnEmail_IsRefused(string email)
    {
        var account = Open();

        Assert.Equal(BillingAccountErrors.EmailInvalid, account.ChangeBillingEmail(email, T0).Error);
        Assert.Null(account.BillingEmail);
    }

    [Fact]
    public void RecordProviderEmail_InAnyOrder_EndsWithTheNewestAndNamesTheProvider()
    {
        var inOrder = Open();
        var reversed = Open();

        Assert.True(inOrder.RecordProviderEmail("stripe", "a@acme.test", T0).Value);
        Assert.True(inOrder.RecordProviderEmail("stripe", "b@acme.test", T0.AddSeconds(1)).Value);
        Assert.True(reversed.RecordProviderEmail("stripe", "b@acme.test", T0.AddSeconds(1)).Value);
        Assert.False(reversed.RecordProviderEmail("stripe", "a@acme.test", T0).Value);

        Assert.Equal(("b@acme.test", "b@acme.test"), (inOrder.BillingEmail, reversed.BillingEmail));
        Assert.Equal("stripe", inOrder.DomainEvents.OfType<BillingEmailChanged>().Last().Provider);
    }

    [Fact]
    public void RecordProviderEmail_OlderThanAChangeInTheAppOrBlank_ChangesNothing()
    {
        var account = Open();
        account.ChangeBillingEmail("app@acme.test", T0);
        var before = account.DomainEvents.Count;

        Assert.False(account.RecordProviderEmail("stripe", "old@acme.test", T0.AddSeconds(-5)).Value);
        Assert.False(account.RecordProviderEmail("stripe", null, T0.AddSeconds(5)).Value);
        Assert.False(account.RecordProviderEmail("stripe", "app@acme.test", T0.AddSeconds(5)).Value);
        Assert.True(account.RecordProviderEmail("stripe", "new@acme.test", T0.AddSeconds(5)).Value);

        Assert.Equal("new@acme.test", account.BillingEmail);
        Assert.Single(account.DomainEvents.Skip(before));
    }

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
