using System.Text.Json;
using System.Text.Json.Nodes;

namespace Monolith.TestSupport.Storm;

/// <summary>How big a storm is and how badly it is delivered.</summary>
/// <param name="EventsPerAccount">Events in each account's history (at least 2; a history that ends in a deletion stops there).</param>
/// <param name="Duplicates">Share of events delivered a second time, later in the run (0–1).</param>
/// <param name="Reorder">Share of events delivered after a later event of the same account (0–1).</param>
/// <param name="OneTimePayments">One-time <c>payment_intent.succeeded</c> events per account (each fans out to the fulfilment outbox handler).</param>
public sealed record StormOptions(
    int Accounts, int EventsPerAccount, double Duplicates = 0.2, double Reorder = 0.2, int OneTimePayments = 1, int Seed = 20261122);

/// <summary>One Stripe event as sent: its id, type, <c>created</c> and the exact body bytes that are signed.</summary>
public sealed record StormEvent(string Id, string Type, long Created, byte[] Body, int Account);

/// <summary>What an invoice must end as when the account's events are applied in order.</summary>
public sealed record ExpectedInvoice(string ProviderInvoiceId, string Status, int AttemptCount);

/// <summary>One seeded account, its history (in provider order) and the state that history ends in.</summary>
public sealed record StormAccount(
    Guid OrganizationId,
    Guid BillingAccountId,
    string CustomerId,
    string SubscriptionId,
    IReadOnlyList<StormEvent> Events,
    string ExpectedStatus,
    DateTimeOffset ExpectedPeriodEnd,
    bool ExpectedCancelAtPeriodEnd,
    IReadOnlyList<ExpectedInvoice> ExpectedInvoices,
    IReadOnlyList<string> OneTimePaymentIds);

/// <summary>
/// A renewal storm as Stripe would send it: per account a subscription lifecycle (created, renewals with
/// <c>invoice.paid</c>, failed renewals going past_due and recovering, one-time purchases, sometimes a scheduled or
/// immediate cancellation), built from Stripe's own example objects (<c>../shared/stripe/fixtures3-2026-08-21.json</c>)
/// with ids, customer, price, periods and statuses replaced. <see cref="Deliveries"/> is the send order: accounts
/// interleaved, a share of events moved after a later event of their account, a share repeated later in the run.
/// The expected final state is computed from each account's history in order, independently of the app.
/// </summary>
public sealed class StripeStorm
{
    public const string PriceId = "price_storm_pro_monthly";
    public const string LifetimePriceId = "price_storm_lifetime";
    public const long MonthlyAmount = 1900;
    public const long OneTimeAmount = 9900;
    private const long Day = 86_400;

    private StripeStorm(IReadOnlyList<StormAccount> accounts, IReadOnlyList<StormEvent> deliveries)
    {
        Accounts = accounts;
        Deliveries = deliveries;
    }

    public IReadOnlyList<StormAccount> Accounts { get; }

    /// <summary>Every delivery in send order (distinct events plus duplicates).</summary>
    public IReadOnlyList<StormEvent> Deliveries { get; }

    public int DistinctEvents => Accounts.Sum(a => a.Events.Count);

    /// <summary>The official fixtures file, found next to the repository root (the folder holding Monolith.sln).</summary>
    public static string FixturesPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monolith.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "stripe", "fixtures3-2026-08-21.json"));
            }
        }

        throw new InvalidOperationException("Monolith.sln not found above the program's binaries.");
    }

    public static StripeStorm Create(StormOptions options, string? fixturesPath = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Accounts < 1 || options.EventsPerAccount < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "At least one account and two events per account.");
        }

        var resources = JsonNode.Parse(File.ReadAllBytes(fixturesPath ?? FixturesPath()))!["resources"]!;
        var fixtures = new Fixtures(
            resources["subscription"]!.AsObject(), resources["invoice"]!.AsObject(), resources["payment_intent"]!.AsObject());
        var random = new Random(options.Seed);
        var start = DateTimeOffset.UtcNow.AddDays(-120).ToUnixTimeSeconds();
        var run = Guid.NewGuid().ToString("N")[..10];

        var accounts = new List<StormAccount>(options.Accounts);
        for (var i = 0; i < options.Accounts; i++)
        {
            accounts.Add(History(i, run, start, options, fixtures, random));
        }

        return new StripeStorm(accounts, Schedule(accounts, options, random));
    }

    private static StormAccount History(int index, string run, long start, StormOptions options, Fixtures fixtures, Random random)
    {
        var account = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), Bytes(random));
        var organization = new Guid(random.Next(), (short)random.Next(), (short)random.Next(), Bytes(random));
        var customer = $"cus_storm_{run}_{index}";
        var subscription = $"sub_storm_{run}_{index}";
        var events = new List<StormEvent>();
        var invoices = new Dictionary<string, (bool Paid, int Attempts)>();
        var oneTime = new List<string>();
        var clock = start + random.Next(0, 3600);
        var periodStart = clock;
        var status = "active";
        var cancelAtPeriodEnd = false;
        var period = 0;
        var pendingPayments = options.OneTimePayments;

        void Add(string type, JsonObject obj)
        {
            clock += 60 + random.Next(0, 60);
            var id = $"evt_{run}_{index}_{events.Count}";
            var envelope = new JsonObject
            {
                ["id"] = id,
                ["object"] = "event",
                ["api_version"] = "2025-03-31.basil",
                ["created"] = clock,
                ["livemode"] = false,
                ["pending_webhooks"] = 1,
                ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
                ["type"] = type,
                ["data"] = new JsonObject { ["object"] = obj },
            };
            events.Add(new StormEvent(id, type, clock, JsonSerializer.SerializeToUtf8Bytes(envelope), index));
        }

        // The last snapshot sent is what the subscription must end as (the app orders snapshots by event time).
        (string Status, long PeriodEnd, bool CancelAtPeriodEnd) last = default;
        JsonObject Sub(string s, long? canceledAt = null)
        {
            last = (s, periodStart + (30 * Day), cancelAtPeriodEnd);
            return fixtures.Subscription(subscription, customer, account, s, periodStart, periodStart + (30 * Day), cancelAtPeriodEnd, canceledAt);
        }

        string Invoice() => $"in_{run}_{index}_{period}";

        Add("customer.subscription.created", Sub(status));
        invoices[Invoice()] = (true, 1);
        Add("invoice.paid", fixtures.Invoice(Invoice(), subscription, customer, periodStart, MonthlyAmount, MonthlyAmount, 1, "paid"));

        // The lifecycle, a few events per step, until the history has EventsPerAccount events.
        var plan = new Queue<Action>();
        while (events.Count < options.EventsPerAccount && status != "canceled")
        {
            var remaining = options.EventsPerAccount - events.Count;
            if (plan.Count == 0)
            {
                var spare = remaining - pendingPayments;
                if (pendingPayments > 0 && (spare <= 0 || random.NextDouble() < 0.3))
                {
                    pendingPayments--;
                    var paymentId = $"pi_{run}_{index}_{oneTime.Count}";
                    oneTime.Add(paymentId);
                    plan.Enqueue(() => Add("payment_intent.succeeded", fixtures.OneTimePayment(paymentId, customer, account)));
                }
                else if (spare >= 4 && status == "active" && random.NextDouble() < 0.3)
                {
                    // A renewal whose first attempt fails: past_due, then paid on the retry.
                    plan.Enqueue(() =>
                    {
                        period++;
                        periodStart += 30 * Day;
                        invoices[Invoice()] = (false, 1);
                        Add("invoice.payment_failed", fixtures.Invoice(Invoice(), subscription, customer, periodStart, MonthlyAmount, 0, 1, "open"));
                    });
                    plan.Enqueue(() =>
                    {
                        status = "past_due";
                        Add("customer.subscription.updated", Sub(status));
                    });
                    plan.Enqueue(() =>
                    {
                        invoices[Invoice()] = (true, 2);
                        Add("invoice.paid", fixtures.Invoice(Invoice(), subscription, customer, periodStart, MonthlyAmount, MonthlyAmount, 2, "paid"));
                    });
                    plan.Enqueue(() =>
                    {
                        status = "active";
                        Add("customer.subscription.updated", Sub(status));
                    });
                }
                else if (spare >= 2 || (spare == 1 && random.NextDouble() >= 0.25))
                {
                    // A plain renewal: the next period's invoice is paid, then the subscription moves to that period.
                    plan.Enqueue(() =>
                    {
                        period++;
                        periodStart += 30 * Day;
                        invoices[Invoice()] = (true, 1);
                        Add("invoice.paid", fixtures.Invoice(Invoice(), subscription, customer, periodStart, MonthlyAmount, MonthlyAmount, 1, "paid"));
                    });
                    if (spare >= 2)
                    {
                        plan.Enqueue(() => Add("customer.subscription.updated", Sub(status)));
                    }
                }
                else if (random.NextDouble() < 0.5)
                {
                    // The last word: canceled now.
                    plan.Enqueue(() =>
                    {
                        status = "canceled";
                        Add("customer.subscription.deleted", Sub(status, clock + 60));
                    });
                }
                else
                {
                    // The last word: canceled at the period end.
                    plan.Enqueue(() =>
                    {
                        cancelAtPeriodEnd = true;
                        Add("customer.subscription.updated", Sub(status));
                    });
                }
            }

            plan.Dequeue()();
        }

        return new StormAccount(
            organization, account, customer, subscription, events,
            ExpectedStatus: last.Status switch { "past_due" => "PastDue", "canceled" => "Canceled", _ => "Active" },
            ExpectedPeriodEnd: DateTimeOffset.FromUnixTimeSeconds(last.PeriodEnd),
            ExpectedCancelAtPeriodEnd: last.CancelAtPeriodEnd,
            ExpectedInvoices: invoices.Select(i => new ExpectedInvoice(i.Key, i.Value.Paid ? "Paid" : "Open", i.Value.Attempts)).ToList(),
            OneTimePaymentIds: oneTime);
    }

    /// <summary>
    /// Send order: round-robin over accounts (so concurrent requests mostly touch different accounts, as in a real
    /// storm of many customers); within an account an event is moved after a later one with probability Reorder;
    /// with probability Duplicates an event is delivered again, a random distance later.
    /// </summary>
    private static List<StormEvent> Schedule(List<StormAccount> accounts, StormOptions options, Random random)
    {
        var perAccount = accounts.Select(a =>
        {
            var order = a.Events.ToList();
            for (var i = 0; i < order.Count - 1; i++)
            {
                if (random.NextDouble() < options.Reorder)
                {
                    var j = random.Next(i + 1, order.Count);
                    (order[i], order[j]) = (order[j], order[i]);
                }
            }

            return new Queue<StormEvent>(order);
        }).ToList();

        var sends = new List<StormEvent>();
        while (perAccount.Any(q => q.Count > 0))
        {
            foreach (var queue in perAccount)
            {
                if (queue.TryDequeue(out var next))
                {
                    sends.Add(next);
                }
            }
        }

        var distinct = sends.Count;
        for (var i = 0; i < distinct; i++)
        {
            if (random.NextDouble() < options.Duplicates)
            {
                var at = Math.Min(sends.Count, i + 1 + random.Next(0, Math.Max(1, distinct / 4)));
                sends.Insert(at, sends[i]);
            }
        }

        return sends;
    }

    private static byte[] Bytes(Random random)
    {
        var bytes = new byte[8];
        random.NextBytes(bytes);
        return bytes;
    }

    private sealed class Fixtures(JsonObject subscription, JsonObject invoice, JsonObject paymentIntent)
    {
        public JsonObject Subscription(
            string id, string customer, Guid account, string status, long periodStart, long periodEnd, bool cancelAtPeriodEnd, long? canceledAt)
        {
            var s = subscription.DeepClone().AsObject();
            s["id"] = id;
            s["customer"] = customer;
            s["status"] = status;
            s["pause_collection"] = null; // the fixture fills it; a storm subscription collects
            s["currency"] = "eur";
            s["created"] = periodStart;
            s["start_date"] = periodStart;
            s["billing_cycle_anchor"] = periodStart;
            s["cancel_at_period_end"] = cancelAtPeriodEnd;
            s["cancel_at"] = cancelAtPeriodEnd ? periodEnd : null;
            s["canceled_at"] = canceledAt;
            s["ended_at"] = canceledAt;
            s["trial_start"] = null;
            s["trial_end"] = null;
            s["metadata"] = new JsonObject { ["billing_account_id"] = account.ToString() };
            var item = s["items"]!["data"]![0]!.AsObject();
            item["subscription"] = id;
            item["quantity"] = 1;
            item["current_period_start"] = periodStart;
            item["current_period_end"] = periodEnd;
            var price = item["price"]!.AsObject();
            price["id"] = PriceId;
            price["currency"] = "eur";
            price["unit_amount"] = MonthlyAmount;
            s.Remove("current_period_start");
            s.Remove("current_period_end");
            return s;
        }

        public JsonObject Invoice(
            string id, string subscriptionId, string customer, long periodStart, long due, long paid, int attempts, string status)
        {
            var i = invoice.DeepClone().AsObject();
            i["id"] = id;
            i["customer"] = customer;
            i["currency"] = "eur";
            i["status"] = status;
            i["amount_due"] = due;
            i["amount_paid"] = paid;
            i["amount_remaining"] = due - paid;
            i["attempt_count"] = attempts;
            i["attempted"] = true;
            i["billing_reason"] = "subscription_cycle";
            i["subscription"] = null;
            i["period_start"] = periodStart;
            i["period_end"] = periodStart + (30 * Day);
            i["hosted_invoice_url"] = null;
            i["invoice_pdf"] = null;
            i["metadata"] = new JsonObject();
            i["parent"] = new JsonObject
            {
                ["type"] = "subscription_details",
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = null, ["subscription"] = subscriptionId },
            };
            var line = i["lines"]!["data"]![0]!.AsObject();
            line["amount"] = due;
            line["currency"] = "eur";
            line["invoice"] = id;
            line["period"] = new JsonObject { ["start"] = periodStart, ["end"] = periodStart + (30 * Day) };
            return i;
        }

        public JsonObject OneTimePayment(string id, string customer, Guid account)
        {
            var p = paymentIntent.DeepClone().AsObject();
            p["id"] = id;
            p["customer"] = customer;
            p["amount"] = OneTimeAmount;
            p["amount_received"] = OneTimeAmount;
            p["currency"] = "eur";
            p["status"] = "succeeded";
            p["latest_charge"] = $"ch_{id[3..]}";
            p["last_payment_error"] = null;
            p["metadata"] = new JsonObject { ["billing_account_id"] = account.ToString() };
            p.Remove("invoice");
            return p;
        }
    }
}
