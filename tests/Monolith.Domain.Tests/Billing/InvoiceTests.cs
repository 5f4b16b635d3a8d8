using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Common;

namespace Monolith.Domain.Tests.Billing;

public sealed class InvoiceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(InvoiceStatus.Open, InvoiceStatus.Paid, true)]
    [InlineData(InvoiceStatus.Open, InvoiceStatus.Uncollectible, true)]
    [InlineData(InvoiceStatus.Open, InvoiceStatus.Void, true)]
    [InlineData(InvoiceStatus.Uncollectible, InvoiceStatus.Paid, true)]
    [InlineData(InvoiceStatus.Uncollectible, InvoiceStatus.Void, true)]
    [InlineData(InvoiceStatus.Uncollectible, InvoiceStatus.Open, false)]
    [InlineData(InvoiceStatus.Paid, InvoiceStatus.Open, false)]
    [InlineData(InvoiceStatus.Paid, InvoiceStatus.Void, false)]
    [InlineData(InvoiceStatus.Paid, InvoiceStatus.Uncollectible, false)]
    [InlineData(InvoiceStatus.Void, InvoiceStatus.Paid, false)]
    [InlineData(InvoiceStatus.Void, InvoiceStatus.Open, false)]
    [InlineData(InvoiceStatus.Open, InvoiceStatus.Open, false)]
    public void IsAllowed_Transition_MatchesTable(InvoiceStatus from, InvoiceStatus to, bool allowed)
    {
        Assert.Equal(allowed, InvoiceTransitions.IsAllowed(from, to));
    }

    [Fact]
    public void MarkPaid_Twice_SecondIsRefused()
    {
        var invoice = Open();
        Assert.True(invoice.MarkPaid(Usd(2000), T0).IsSuccess);

        var second = invoice.MarkPaid(Usd(2000), T0.AddDays(1));

        Assert.Equal("billing.invoice.transition_not_allowed", second.Error!.Code);
        Assert.Equal(T0, invoice.PaidAt);
    }

    [Fact]
    public void MarkPaid_AfterUncollectible_Succeeds()
    {
        var invoice = Open();
        invoice.MarkUncollectible(T0);

        Assert.True(invoice.MarkPaid(Usd(2000), T0.AddDays(3)).IsSuccess);
        Assert.Equal(2000, invoice.AmountPaid.AmountMinor);
    }

    [Fact]
    public void RecordFailedAttempt_LowerCount_DoesNotLowerIt()
    {
        var invoice = Open();
        Assert.True(invoice.RecordFailedAttempt(3, T0));

        Assert.False(invoice.RecordFailedAttempt(2, T0.AddDays(1)));
        Assert.Equal(3, invoice.AttemptCount);
    }

    private static Money Usd(long minor) => Money.Create(minor, "USD").Value;

    private static Invoice Open() =>
        Invoice.Open(Guid.NewGuid(), Guid.NewGuid(), "stripe", "in_1", "sub_1", Usd(2000), T0, T0.AddDays(30), null, null, T0).Value;
}
