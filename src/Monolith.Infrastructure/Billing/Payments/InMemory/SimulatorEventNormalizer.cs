using System.Text.Json;
using Monolith.Application.Billing.Payments;
using Monolith.Application.Billing.ProviderEvents;
using Monolith.Domain.Billing;
using Monolith.Domain.Billing.Catalog;
using Monolith.Domain.Billing.Payments;
using Monolith.Domain.Billing.Subscriptions;
using Monolith.Domain.Common;

namespace Monolith.Infrastructure.Billing.Payments.InMemory;

/// <summary>Turns a simulator event body into the provider-neutral <see cref="ProviderEvent"/>s (prices mapped to the catalogue).</summary>
internal sealed class SimulatorEventNormalizer(PlanCatalog catalog)
{
    private const string Provider = BillingProvider.InMemory;

    public Result<ParsedWebhook> Normalize(ReadOnlySpan<byte> body)
    {
        SimulatorEnvelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<SimulatorEnvelope>(body, SimulatorJson.Options);
        }
        catch (JsonException)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        if (envelope is null || string.IsNullOrWhiteSpace(envelope.Id) || string.IsNullOrWhiteSpace(envelope.Type) || envelope.Data is null)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        try
        {
            var events = ToEvents(envelope);
            return events.IsFailure
                ? events.Error
                : new ParsedWebhook(envelope.Id, envelope.Type, DateTimeOffset.FromUnixTimeSeconds(envelope.Created), events.Value);
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return PaymentsErrors.PayloadInvalid;
        }
    }

    private Result<IReadOnlyList<ProviderEvent>> ToEvents(SimulatorEnvelope envelope)
    {
        var id = envelope.Id;
        var at = envelope.Data.OccurredAt;
        var obj = envelope.Data.Object;
        switch (envelope.Type)
        {
            case SimulatorEventTypes.CheckoutCompleted:
            {
                var c = Read<CheckoutData>(obj);
                var mode = c.Mode == "payment" ? CheckoutMode.Payment : CheckoutMode.Subscription;
                var result = mode == CheckoutMode.Payment ? c.PaymentIntent : c.Subscription;
                return One(new CheckoutCompleted(Provider, id, at, c.Id, c.Customer, c.ClientReferenceId, mode, result));
            }

            case SimulatorEventTypes.CheckoutExpired:
                return One(new CheckoutExpired(Provider, id, at, Read<CheckoutData>(obj).Id));

            case SimulatorEventTypes.SubscriptionCreated or SimulatorEventTypes.SubscriptionUpdated or SimulatorEventTypes.SubscriptionDeleted:
            {
                var s = Read<SubscriptionData>(obj);
                var snapshot = Snapshot(s);
                if (snapshot.IsFailure)
                {
                    return snapshot.Error;
                }

                return envelope.Type == SimulatorEventTypes.SubscriptionDeleted
                    ? One(new SubscriptionDeleted(Provider, id, at, s.Customer, s.AccountId, snapshot.Value))
                    : One(new SubscriptionChanged(Provider, id, at, s.Customer, s.AccountId, snapshot.Value));
            }

            case SimulatorEventTypes.InvoicePaid:
            {
                var i = Read<InvoiceData>(obj);
                return One(new InvoicePaid(Provider, id, at, i.Customer, i.AccountId, Invoice(i), i.AmountPaid));
            }

            case SimulatorEventTypes.InvoicePaymentFailed:
            {
                var i = Read<InvoiceData>(obj);
                return One(new InvoicePaymentFailed(Provider, id, at, i.Customer, i.AccountId, Invoice(i)));
            }

            case SimulatorEventTypes.PaymentSucceeded:
            {
                var p = Read<PaymentData>(obj);
                return One(new PaymentSucceeded(Provider, id, at, p.Customer, p.AccountId, Payment(p), p.Charge ?? p.Id, p.Captured));
            }

            case SimulatorEventTypes.PaymentFailed:
            {
                var p = Read<PaymentData>(obj);
                return One(new PaymentFailed(Provider, id, at, p.Customer, p.AccountId, Payment(p), p.FailureCode ?? "card_declined"));
            }

            case SimulatorEventTypes.ChargeRefunded:
            {
                var r = Read<RefundData>(obj);
                return One(new RefundRecorded(Provider, id, at, r.PaymentIntent, r.Id, r.Amount, r.Currency, r.Reason, r.Created));
            }

            case SimulatorEventTypes.CustomerUpdated:
            {
                var c = Read<CustomerData>(obj);
                return One(new CustomerUpdated(Provider, id, at, c.Id, c.AccountId, string.IsNullOrWhiteSpace(c.Email) ? null : c.Email));
            }

            default:
                return Result.Success<IReadOnlyList<ProviderEvent>>([]);
        }
    }

    private Result<SubscriptionSnapshot> Snapshot(SubscriptionData s)
    {
        var price = catalog.FindByProviderPriceId(Provider, s.Price);
        if (price.IsFailure)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        if (SimulatorJson.ParseStatus(s.Status) is not { } status)
        {
            return PaymentsErrors.PayloadInvalid;
        }

        return new SubscriptionSnapshot(
            s.Id, status, price.Value.Id, price.Value.PlanId, s.Quantity, s.CurrentPeriodStart, s.CurrentPeriodEnd,
            s.TrialEnd, s.CancelAtPeriodEnd, s.CanceledAt, s.EndedAt, s.UpdatedAt);
    }

    private static InvoiceDetails Invoice(InvoiceData i) =>
        new(i.Id, i.Subscription, i.AmountDue, i.Currency, i.PeriodStart, i.PeriodEnd, i.AttemptCount, null, null);

    private static PaymentDetails Payment(PaymentData p) =>
        new(p.Id, p.Kind == "invoice" ? PaymentKind.Invoice : PaymentKind.OneTime, p.Invoice, p.Amount, p.Currency);

    private static T Read<T>(JsonElement element) =>
        element.Deserialize<T>(SimulatorJson.Options) ?? throw new JsonException("Empty event object.");

    private static Result<IReadOnlyList<ProviderEvent>> One(ProviderEvent e) => Result.Success<IReadOnlyList<ProviderEvent>>([e]);
}
