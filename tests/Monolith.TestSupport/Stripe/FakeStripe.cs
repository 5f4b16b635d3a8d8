using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Monolith.TestSupport.Stripe;

/// <summary>One request the fake Stripe received (headers case-insensitive, the form as sent).</summary>
public sealed record FakeStripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, IReadOnlyList<KeyValuePair<string, string>> Form)
{
    public string? this[string key] => Form.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>An event the fake Stripe would send to a webhook endpoint; <see cref="Body"/> is the raw JSON to sign.</summary>
public sealed record FakeStripeEvent(string Id, string Type, long Created, byte[] Body);

/// <summary>
/// A fake Stripe API on 127.0.0.1 that keeps state like Stripe does, for the calls the adapter makes: customers,
/// checkout sessions, portal sessions, subscriptions (update, cancel, schedules), refunds, meter events. It records
/// every request; POSTs are idempotent per <c>Idempotency-Key</c> (the same key and parameters replay the first
/// answer, the same key with other parameters is a 400 <c>idempotency_error</c>); scripted faults (429, 500, a hang
/// until the client gives up) come first and are not remembered, like a failure before Stripe ran the request.
/// Every state change queues the webhook events Stripe would send (<see cref="TakeEvents"/>); the test delivers them,
/// signed with <see cref="StripeWebhookSigner"/>, in whatever order it wants. Stripe-side happenings (a customer
/// paying on the hosted page, a renewal failing, a period ending) are methods.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    /// <summary>A subscription that exists from the start (for adapter tests that need one without a checkout).</summary>
    public const string SubscriptionId = "sub_fake_1";
    public const string ItemId = StripeFixtures.ItemId;
    public const string ProMonthly = "price_fake_pro_monthly";
    public const string ProYearly = "price_fake_pro_yearly";
    public const string TeamMonthly = "price_fake_team_monthly";
    public const string TeamYearly = "price_fake_team_yearly";
    public const string Lifetime = "price_fake_lifetime";

    private static readonly TimeSpan Month = TimeSpan.FromDays(30);

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly object _gate = new();
    private readonly List<(string? Path, Func<HttpContext, Task> Answer)> _faults = [];
    private readonly ConcurrentDictionary<string, (int Status, string Body)> _overrides = new();
    private readonly Dictionary<string, (string Request, int Status, string Body)> _idempotent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SessionTerms> _sessionTerms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _subscriptions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _schedules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _paymentIntents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> _invoices = new(StringComparer.Ordinal);
    private readonly List<JsonObject> _refunds = [];
    private readonly List<JsonObject> _paymentMethods = [];
    private readonly List<FakeStripeEvent> _events = [];
    private readonly long _eventEpoch;
    private int _ids;
    private int _eventSeconds;

    private FakeStripe(WebApplication app, TimeProvider clock)
    {
        _app = app;
        _clock = clock;
        // Events carry whole-second, strictly increasing `created` stamps, a little in the past.
        _eventEpoch = clock.GetUtcNow().AddHours(-1).ToUnixTimeSeconds();
        _subscriptions[SubscriptionId] = StripeFixtures.Subscription(SubscriptionId, ProMonthly);
    }

    public ConcurrentQueue<FakeStripeRequest> Requests { get; } = new();

    /// <summary>Amount (minor units) and currency per price id, for invoices and payments.</summary>
    public ConcurrentDictionary<string, (long AmountMinor, string Currency)> Prices { get; } = new(StringComparer.Ordinal)
    {
        [ProMonthly] = (1900, "eur"),
        [ProYearly] = (19000, "eur"),
        [TeamMonthly] = (4900, "eur"),
        [TeamYearly] = (49000, "eur"),
        [Lifetime] = (9900, "eur"),
    };

    public string BaseAddress => _app.Urls.First();

    public int CustomersCreated
    {
        get
        {
            lock (_gate)
            {
                return _customers.Count;
            }
        }
    }

    public int SessionsCreated
    {
        get
        {
            lock (_gate)
            {
                return _sessions.Count;
            }
        }
    }

    /// <summary>The pre-existing subscription <see cref="SubscriptionId"/> (the fixture, with a catalogue price).</summary>
    public JsonObject Subscription
    {
        get => SubscriptionObject(SubscriptionId);
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _subscriptions[SubscriptionId] = value.DeepClone().AsObject();
            }
        }
    }

    public static async Task<FakeStripe> StartAsync(TimeProvider? clock = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app, clock ?? TimeProvider.System);
        app.Map("/{**path}", fake.HandleAsync);
        await app.StartAsync();
        return fake;
    }

    /// <summary>
    /// Settings that point the real app (its <c>appsettings.json</c> catalogue) at this fake: the Stripe provider, the
    /// API base, fast retries, a 1 s per-attempt timeout and a Stripe price id on every paid catalogue price.
    /// </summary>
    public Dictionary<string, string?> AppSettings(string secretKey, string webhookSecret) => new()
    {
        ["Payments:Provider"] = "Stripe",
        ["Payments:Stripe:SecretKey"] = secretKey,
        ["Payments:Stripe:WebhookSecrets:0"] = webhookSecret,
        ["Payments:Stripe:ApiBase"] = BaseAddress,
        ["Payments:Stripe:RequestTimeoutSeconds"] = "1",
        ["Payments:Stripe:MaxRetries"] = "2",
        ["Billing:Plans:1:Prices:0:ProviderPriceIds:stripe"] = ProMonthly,
        ["Billing:Plans:1:Prices:1:ProviderPriceIds:stripe"] = ProYearly,
        ["Billing:Plans:2:Prices:0:ProviderPriceIds:stripe"] = TeamMonthly,
        ["Billing:Plans:2:Prices:1:ProviderPriceIds:stripe"] = TeamYearly,
        ["Billing:Plans:3:Prices:0:ProviderPriceIds:stripe"] = Lifetime,
    };

    /// <summary>
    /// The next request (to <paramref name="path"/>, when given) is answered with <paramref name="status"/> (and
    /// optional headers) and not remembered. Faults queue up: each is used once, in order.
    /// </summary>
    public void FailNext(
        int status, string? retryAfter = null, string? shouldRetry = null, string body = """{"error":{"type":"api_error","message":"boom"}}""", string? path = null) =>
        AddFault(path, async context =>
        {
            context.Response.StatusCode = status;
            if (retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            if (shouldRetry is not null)
            {
                context.Response.Headers["Stripe-Should-Retry"] = shouldRetry;
            }

            context.Response.Headers["Request-Id"] = "req_fault";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });

    /// <summary>The next request (to <paramref name="path"/>, when given) gets no answer until the client aborts it (its per-attempt timeout).</summary>
    public void HangNext(string? path = null) => AddFault(path, async context =>
    {
        var aborted = new TaskCompletionSource();
        await using (context.RequestAborted.Register(() => aborted.TrySetResult()))
        {
            await aborted.Task;
        }
    });

    /// <summary>Every request to <paramref name="path"/> gets this answer (before any state is consulted).</summary>
    public void Answer(string path, int status, string body) => _overrides[path] = (status, body);

    public FakeStripeRequest[] To(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToArray();

    public JsonObject SubscriptionObject(string id)
    {
        lock (_gate)
        {
            return _subscriptions[id].DeepClone().AsObject();
        }
    }

    public JsonObject[] Customers()
    {
        lock (_gate)
        {
            return _customers.Values.Select(c => c.DeepClone().AsObject()).ToArray();
        }
    }

    public JsonObject[] CheckoutSessions()
    {
        lock (_gate)
        {
            return _sessions.Values.Select(c => c.DeepClone().AsObject()).ToArray();
        }
    }

    public JsonObject? Schedule(string id)
    {
        lock (_gate)
        {
            return _schedules.TryGetValue(id, out var s) ? s.DeepClone().AsObject() : null;
        }
    }

    public JsonObject[] Refunds()
    {
        lock (_gate)
        {
            return _refunds.Select(r => r.DeepClone().AsObject()).ToArray();
        }
    }

    /// <summary>The events queued since the last call, oldest first.</summary>
    public IReadOnlyList<FakeStripeEvent> TakeEvents()
    {
        lock (_gate)
        {
            var taken = _events.ToArray();
            _events.Clear();
            return taken;
        }
    }

    /// <summary>
    /// The customer pays on the hosted page: the session completes; in subscription mode an active (or trialing)
    /// subscription and its paid first invoice appear, in payment mode a succeeded payment intent. Queues
    /// <c>checkout.session.completed</c> plus <c>customer.subscription.created</c> and <c>invoice.paid</c>, or
    /// <c>payment_intent.succeeded</c>. Returns the subscription or payment intent id.
    /// </summary>
    public string CompleteCheckout(string sessionId)
    {
        lock (_gate)
        {
            var session = _sessions[sessionId];
            var terms = _sessionTerms[sessionId];
            var customer = session["customer"]!.GetValue<string>();
            var now = _clock.GetUtcNow();
            session["status"] = "complete";
            session["payment_status"] = "paid";
            string result;
            if (terms.Mode == "subscription")
            {
                result = NextId("sub_fake_");
                var (start, end) = (now.AddMinutes(-1), now.AddMinutes(-1) + Month);
                var subscription = StripeEvents.Subscription(result, customer, NextId("si_fake_"), terms.PriceId, terms.Quantity, start, end, terms.SubscriptionAccount);
                if (terms.TrialDays is > 0 and var days)
                {
                    subscription["status"] = "trialing";
                    subscription["trial_start"] = start.ToUnixTimeSeconds();
                    subscription["trial_end"] = start.AddDays(days).ToUnixTimeSeconds();
                }

                _subscriptions[result] = subscription;
                session["subscription"] = result;
                Emit("checkout.session.completed", session);
                Emit("customer.subscription.created", subscription);
                Emit("invoice.paid", NewInvoice(subscription, paid: true, attempts: 1));
            }
            else
            {
                result = NextId("pi_fake_");
                var (amount, currency) = PriceOf(terms.PriceId, terms.Quantity);
                var intent = StripeEvents.PaymentIntent(result, customer, terms.PaymentAccount, amount, currency, NextId("ch_fake_"));
                _paymentIntents[result] = intent;
                session["payment_intent"] = result;
                Emit("checkout.session.completed", session);
                Emit("payment_intent.succeeded", intent);
            }

            return result;
        }
    }

    /// <summary>A card is saved on the customer (e.g. entered on the hosted checkout); returns its payment method id.</summary>
    public string AttachCard(string customerId, string brand = "visa", string last4 = "4242", int expMonth = 8, int expYear = 2030)
    {
        lock (_gate)
        {
            var method = StripeFiles.Fixture("payment_method");
            var id = NextId("pm_fake_");
            method["id"] = id;
            method["customer"] = customerId;
            method["card"]!["brand"] = brand;
            method["card"]!["last4"] = last4;
            method["card"]!["exp_month"] = expMonth;
            method["card"]!["exp_year"] = expYear;
            _paymentMethods.Add(method);
            return id;
        }
    }

    /// <summary>The customer changes their email at Stripe (dashboard, portal): queues <c>customer.updated</c>.</summary>
    public void ChangeCustomerEmail(string customerId, string email)
    {
        lock (_gate)
        {
            var customer = _customers[customerId];
            customer["email"] = email;
            Emit("customer.updated", customer);
        }
    }

    /// <summary>The session expires unpaid: queues <c>checkout.session.expired</c>.</summary>
    public void ExpireCheckout(string sessionId)
    {
        lock (_gate)
        {
            var session = _sessions[sessionId];
            session["status"] = "expired";
            Emit("checkout.session.expired", session);
        }
    }

    /// <summary>The renewal charge fails: a new period starts unpaid, the subscription goes past_due.</summary>
    public void FailRenewal(string subscriptionId)
    {
        lock (_gate)
        {
            var s = _subscriptions[subscriptionId];
            var now = _clock.GetUtcNow();
            SetPeriod(s, now.AddMinutes(-1), now.AddMinutes(-1) + Month);
            s["status"] = "past_due";
            var invoice = NewInvoice(s, paid: false, attempts: 1);
            Emit("invoice.payment_failed", invoice);
            Emit("customer.subscription.updated", s);
        }
    }

    /// <summary>Stripe gives up retrying (Settings → "mark the subscription as unpaid"): status unpaid.</summary>
    public void MarkUnpaid(string subscriptionId)
    {
        lock (_gate)
        {
            var s = _subscriptions[subscriptionId];
            s["status"] = "unpaid";
            Emit("customer.subscription.updated", s);
        }
    }

    /// <summary>
    /// Pauses (or un-pauses) collection as the Stripe dashboard does: <c>pause_collection</c> set with behavior
    /// <c>void</c>, the status stays <c>active</c>, and customer.subscription.updated is sent.
    /// </summary>
    public void PauseCollection(string subscriptionId, bool paused)
    {
        lock (_gate)
        {
            var s = _subscriptions[subscriptionId];
            s["pause_collection"] = paused ? new JsonObject { ["behavior"] = "void", ["resumes_at"] = null } : null;
            Emit("customer.subscription.updated", s);
        }
    }

    /// <summary>The customer pays the open invoice (e.g. a new card in the portal): invoice paid, subscription active.</summary>
    public void PayOpenInvoice(string subscriptionId)
    {
        lock (_gate)
        {
            var s = _subscriptions[subscriptionId];
            var invoice = _invoices.Values.Last(i => i["parent"]!["subscription_details"]!["subscription"]!.GetValue<string>() == subscriptionId);
            invoice["status"] = "paid";
            invoice["amount_paid"] = invoice["amount_due"]!.GetValue<long>();
            invoice["amount_remaining"] = 0;
            invoice["attempt_count"] = invoice["attempt_count"]!.GetValue<int>() + 1;
            s["status"] = "active";
            Emit("invoice.paid", invoice);
            Emit("customer.subscription.updated", s);
        }
    }

    /// <summary>
    /// The current period ends: a subscription set to cancel ends (<c>customer.subscription.deleted</c>); otherwise a
    /// schedule's next phase (price, quantity) takes over and the schedule is released, a new period starts and its
    /// invoice is paid (<c>customer.subscription.updated</c>, <c>invoice.paid</c>).
    /// </summary>
    public void EndPeriod(string subscriptionId)
    {
        lock (_gate)
        {
            var s = _subscriptions[subscriptionId];
            var item = s["items"]!["data"]![0]!.AsObject();
            var end = DateTimeOffset.FromUnixTimeSeconds(item["current_period_end"]!.GetValue<long>());
            if (s["cancel_at_period_end"]!.GetValue<bool>())
            {
                s["status"] = "canceled";
                s["canceled_at"] = end.ToUnixTimeSeconds();
                s["ended_at"] = end.ToUnixTimeSeconds();
                Emit("customer.subscription.deleted", s);
                return;
            }

            if (s["schedule"]?.GetValue<string>() is { } scheduleId && _schedules[scheduleId]["phases"]!.AsArray() is { Count: > 1 } phases)
            {
                var next = phases[1]!["items"]![0]!;
                item["price"]!["id"] = next["price"]!.GetValue<string>();
                item["quantity"] = next["quantity"]!.GetValue<int>();
                Release(_schedules[scheduleId], s);
            }

            SetPeriod(s, end, end + Month);
            Emit("customer.subscription.updated", s);
            Emit("invoice.paid", NewInvoice(s, paid: true, attempts: 1));
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        // Stripe.net sends POST parameters as a form body and GET/DELETE parameters (expand[], limit) as a query string.
        var form = context.Request.Query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string>(q.Key, v ?? string.Empty))).ToList();
        if (context.Request.HasFormContentType)
        {
            foreach (var (key, values) in await context.Request.ReadFormAsync())
            {
                form.AddRange(values.Select(v => new KeyValuePair<string, string>(key, v ?? string.Empty)));
            }
        }

        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "/";
        Requests.Enqueue(new FakeStripeRequest(
            method, path, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), form));

        if (TakeFault(path) is { } fault)
        {
            await fault(context);
            return;
        }

        context.Response.Headers["Request-Id"] = "req_" + Requests.Count.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        if (_overrides.TryGetValue(path, out var answer))
        {
            context.Response.StatusCode = answer.Status;
            await context.Response.WriteAsync(answer.Body);
            return;
        }

        (int Status, string Body) response;
        lock (_gate)
        {
            var key = method == "POST" ? context.Request.Headers["Idempotency-Key"].ToString() : string.Empty;
            var fingerprint = method + " " + path + "?" + string.Join('&', form.Select(p => p.Key + "=" + p.Value));
            if (key.Length > 0 && _idempotent.TryGetValue(key, out var first))
            {
                response = first.Request == fingerprint
                    ? (first.Status, first.Body)
                    : (400, Error("idempotency_error", null,
                        "Keys for idempotent requests can only be used with the same parameters they were first used with."));
                context.Response.Headers["Idempotent-Replayed"] = "true";
            }
            else
            {
                response = Route(method, path, new Form(form));
                if (key.Length > 0 && response.Status < 500)
                {
                    _idempotent[key] = (fingerprint, response.Status, response.Body);
                }
            }
        }

        context.Response.StatusCode = response.Status;
        await context.Response.WriteAsync(response.Body);
    }

    private void AddFault(string? path, Func<HttpContext, Task> answer)
    {
        lock (_faults)
        {
            _faults.Add((path, answer));
        }
    }

    private Func<HttpContext, Task>? TakeFault(string path)
    {
        lock (_faults)
        {
            var index = _faults.FindIndex(f => f.Path is null || f.Path == path);
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index].Answer;
            _faults.RemoveAt(index);
            return fault;
        }
    }

    private (int Status, string Body) Route(string method, string path, Form form)
    {
        var segments = path.Trim('/').Split('/');
        return (method, segments) switch
        {
            ("POST", ["v1", "customers"]) => CreateCustomer(form),
            ("GET", ["v1", "customers", var id]) => Found(_customers, id),
            ("GET", ["v1", "customers", var id, "payment_methods"]) => _customers.ContainsKey(id)
                ? Ok(new JsonObject
                {
                    ["object"] = "list", ["url"] = $"/v1/customers/{id}/payment_methods", ["has_more"] = false,
                    ["data"] = new JsonArray(_paymentMethods.Where(m => m["customer"]?.GetValue<string>() == id)
                        .Take(int.Parse(form["limit"] ?? "10", CultureInfo.InvariantCulture)).Select(m => (JsonNode)m.DeepClone()).ToArray()),
                })
                : Missing(),
            ("POST", ["v1", "customers", var id]) => UpdateCustomer(id, form),
            ("POST", ["v1", "checkout", "sessions"]) => CreateCheckoutSession(form),
            ("GET", ["v1", "checkout", "sessions", var id]) => Found(_sessions, id),
            ("POST", ["v1", "billing_portal", "sessions"]) => Ok(new JsonObject
            {
                ["id"] = NextId("bps_fake_"), ["object"] = "billing_portal.session", ["customer"] = form["customer"],
                ["url"] = $"https://billing.stripe.test/p/session/{_ids}", ["return_url"] = form["return_url"],
            }),
            ("GET", ["v1", "subscriptions", var id]) => Found(_subscriptions, id),
            ("POST", ["v1", "subscriptions", var id]) => UpdateSubscription(id, form),
            ("DELETE", ["v1", "subscriptions", var id]) => CancelSubscription(id),
            ("POST", ["v1", "subscription_schedules"]) => CreateSchedule(form),
            ("GET", ["v1", "subscription_schedules", var id]) => Found(_schedules, id),
            ("POST", ["v1", "subscription_schedules", var id]) => UpdateSchedule(id, form),
            ("POST", ["v1", "subscription_schedules", var id, "release"]) => ReleaseSchedule(id),
            ("GET", ["v1", "payment_intents", var id]) => Found(_paymentIntents, id),
            ("GET", ["v1", "prices"]) => Ok(new JsonObject
            {
                ["object"] = "list", ["url"] = "/v1/prices", ["has_more"] = Prices.Count > 1,
                ["data"] = new JsonArray(Prices.Keys.Order(StringComparer.Ordinal).Take(1).Select(p => (JsonNode)PriceObject(p)!).ToArray()),
            }),
            ("GET", ["v1", "prices", var id]) => Prices.ContainsKey(id) ? Ok(PriceObject(id)!) : Missing(),
            ("POST", ["v1", "refunds"]) => CreateRefund(form),
            ("POST", ["v1", "billing", "meter_events"]) => Ok(new JsonObject
            {
                ["object"] = "billing.meter_event", ["event_name"] = form["event_name"], ["identifier"] = form["identifier"],
            }),
            _ => Missing(),
        };
    }

    /// <summary>A price as Stripe shows it: recurring monthly/yearly by its id (<c>…_monthly</c>, <c>…_yearly</c>), else one-time.</summary>
    private JsonObject? PriceObject(string id) => Prices.TryGetValue(id, out var p)
        ? new JsonObject
        {
            ["id"] = id, ["object"] = "price", ["active"] = true, ["currency"] = p.Currency, ["unit_amount"] = p.AmountMinor, ["livemode"] = false,
            ["type"] = id.EndsWith("_monthly", StringComparison.Ordinal) || id.EndsWith("_yearly", StringComparison.Ordinal) ? "recurring" : "one_time",
            ["recurring"] = id.EndsWith("_monthly", StringComparison.Ordinal) ? new JsonObject { ["interval"] = "month", ["interval_count"] = 1 }
                : id.EndsWith("_yearly", StringComparison.Ordinal) ? new JsonObject { ["interval"] = "year", ["interval_count"] = 1 } : null,
        }
        : null;

    private (int, string) CreateCustomer(Form form)
    {
        var customer = StripeFiles.Fixture("customer");
        var id = NextId("cus_fake_");
        customer["id"] = id;
        customer["email"] = form["email"];
        customer["name"] = form["name"];
        customer["metadata"] = form.Object("metadata");
        _customers[id] = customer;
        return Ok(customer);
    }

    /// <summary>Sets what the form names (email, name, metadata keys) and queues <c>customer.updated</c>, as Stripe does.</summary>
    private (int, string) UpdateCustomer(string id, Form form)
    {
        if (!_customers.TryGetValue(id, out var customer))
        {
            return Missing();
        }

        customer["email"] = form["email"] ?? customer["email"]?.GetValue<string>();
        customer["name"] = form["name"] ?? customer["name"]?.GetValue<string>();
        var metadata = customer["metadata"] as JsonObject ?? [];
        foreach (var (key, value) in form.Object("metadata"))
        {
            metadata[key] = value?.DeepClone();
        }

        customer["metadata"] = metadata.DeepClone();
        Emit("customer.updated", customer);
        return Ok(customer);
    }

    private (int, string) CreateCheckoutSession(Form form)
    {
        var customer = form["customer"];
        if (form["line_items[0][price]"] is not { } price || !Prices.ContainsKey(price))
        {
            return (400, Error("invalid_request_error", "resource_missing", "No such price.", "line_items[0][price]"));
        }

        var mode = form["mode"] ?? "payment";
        var id = NextId("cs_test_fake_");
        var session = StripeEvents.CheckoutSession(id, mode, customer, Account(form["client_reference_id"]), _clock.GetUtcNow().AddHours(24));
        session["metadata"] = form.Object("metadata");
        session["success_url"] = form["success_url"];
        session["cancel_url"] = form["cancel_url"];
        _sessions[id] = session;
        _sessionTerms[id] = new SessionTerms(
            mode, price, int.Parse(form["line_items[0][quantity]"] ?? "1", CultureInfo.InvariantCulture),
            form["subscription_data[trial_period_days]"] is { } days ? int.Parse(days, CultureInfo.InvariantCulture) : null,
            Account(form["subscription_data[metadata][billing_account_id]"]), Account(form["payment_intent_data[metadata][billing_account_id]"]));
        return Ok(session);
    }

    private (int, string) UpdateSubscription(string id, Form form)
    {
        if (!_subscriptions.TryGetValue(id, out var s))
        {
            return Missing();
        }

        if (s["status"]!.GetValue<string>() is "canceled" or "incomplete_expired")
        {
            return (400, Error("invalid_request_error", null, "A canceled subscription can only update its cancellation_details and metadata."));
        }

        if (form["cancel_at_period_end"] is { } cancel)
        {
            if (s["schedule"] is not null)
            {
                return (400, Error("invalid_request_error", null,
                    "The subscription is managed by the subscription schedule, and updating any cancelation behavior directly is not allowed."));
            }

            s["cancel_at_period_end"] = cancel == "true";
            s["cancel_at"] = cancel == "true" ? s["items"]!["data"]![0]!["current_period_end"]!.GetValue<long>() : null;
        }

        if (form["items[0][id]"] is { } itemId)
        {
            var item = s["items"]!["data"]![0]!.AsObject();
            if (item["id"]!.GetValue<string>() != itemId)
            {
                return (400, Error("invalid_request_error", "resource_missing", "No such subscription item.", "items[0][id]"));
            }

            if (form["items[0][price]"] is { } price)
            {
                item["price"]!["id"] = price;
            }

            if (form["items[0][quantity]"] is { } quantity)
            {
                item["quantity"] = int.Parse(quantity, CultureInfo.InvariantCulture);
            }

            if (form["proration_behavior"] == "always_invoice")
            {
                Emit("invoice.paid", NewInvoice(s, paid: true, attempts: 1));
            }
        }

        Emit("customer.subscription.updated", s);
        return Ok(s);
    }

    private (int, string) CancelSubscription(string id)
    {
        if (!_subscriptions.TryGetValue(id, out var s))
        {
            return Missing();
        }

        if (s["status"]!.GetValue<string>() == "canceled")
        {
            return (400, Error("invalid_request_error", null, "This subscription has already been canceled."));
        }

        var now = _clock.GetUtcNow().ToUnixTimeSeconds();
        if (s["schedule"]?.GetValue<string>() is { } scheduleId)
        {
            Release(_schedules[scheduleId], s);
        }

        s["status"] = "canceled";
        s["canceled_at"] = now;
        s["ended_at"] = now;
        Emit("customer.subscription.deleted", s);
        return Ok(s);
    }

    private (int, string) CreateSchedule(Form form)
    {
        if (form["from_subscription"] is not { } subscriptionId || !_subscriptions.TryGetValue(subscriptionId, out var s))
        {
            return (400, Error("invalid_request_error", "resource_missing", "No such subscription.", "from_subscription"));
        }

        if (s["schedule"] is not null)
        {
            return (400, Error("invalid_request_error", null, "You cannot migrate a subscription that is already attached to a schedule."));
        }

        var item = s["items"]!["data"]![0]!;
        var (start, end) = (item["current_period_start"]!.GetValue<long>(), item["current_period_end"]!.GetValue<long>());
        var schedule = StripeFiles.Fixture("subscription_schedule");
        var id = NextId("sub_sched_fake_");
        schedule["id"] = id;
        schedule["customer"] = s["customer"]!.DeepClone();
        schedule["subscription"] = subscriptionId;
        schedule["status"] = "active";
        schedule["end_behavior"] = "release";
        schedule["released_subscription"] = null;
        schedule["released_at"] = null;
        schedule["canceled_at"] = null;
        schedule["completed_at"] = null;
        schedule["current_phase"] = new JsonObject { ["start_date"] = start, ["end_date"] = end };
        schedule["phases"] = new JsonArray(Phase(start, end, item["price"]!["id"]!.GetValue<string>(), item["quantity"]!.GetValue<int>(), null));
        _schedules[id] = schedule;
        s["schedule"] = id;
        Emit("customer.subscription.updated", s);
        return Ok(schedule);
    }

    private (int, string) UpdateSchedule(string id, Form form)
    {
        if (!_schedules.TryGetValue(id, out var schedule))
        {
            return Missing();
        }

        if (schedule["status"]!.GetValue<string>() != "active")
        {
            return (400, Error("invalid_request_error", null, "You cannot update a subscription schedule that is currently in the `released` status."));
        }

        var phases = new JsonArray();
        long? previousEnd = null;
        for (var i = 0; form[$"phases[{i}][items][0][price]"] is { } price; i++)
        {
            var start = form.Long($"phases[{i}][start_date]") ?? previousEnd;
            var end = form.Long($"phases[{i}][end_date]");
            if (i == 0 && start != schedule["current_phase"]!["start_date"]!.GetValue<long>())
            {
                return (400, Error("invalid_request_error", null, "You can not modify the start date of the current phase.", "phases[0][start_date]"));
            }

            if (start is null || (end is null && form.Long($"phases[{i}][iterations]") is null && form[$"phases[{i + 1}][items][0][price]"] is not null))
            {
                return (400, Error("invalid_request_error", null, "Every phase but the last needs an end_date.", $"phases[{i}][end_date]"));
            }

            var quantity = int.Parse(form[$"phases[{i}][items][0][quantity]"] ?? "1", CultureInfo.InvariantCulture);
            phases.Add(Phase(start.Value, end ?? start.Value + (long)Month.TotalSeconds, price, quantity, form[$"phases[{i}][proration_behavior]"]));
            previousEnd = end;
        }

        if (phases.Count == 0)
        {
            return (400, Error("invalid_request_error", null, "Missing required param: phases.", "phases"));
        }

        schedule["phases"] = phases;
        schedule["end_behavior"] = form["end_behavior"] ?? schedule["end_behavior"]!.GetValue<string>();
        return Ok(schedule);
    }

    private (int, string) ReleaseSchedule(string id)
    {
        if (!_schedules.TryGetValue(id, out var schedule))
        {
            return Missing();
        }

        if (schedule["status"]!.GetValue<string>() != "active")
        {
            return (400, Error("invalid_request_error", null, "You cannot release a subscription schedule that is currently in the `released` status."));
        }

        var subscription = _subscriptions[schedule["subscription"]!.GetValue<string>()];
        Release(schedule, subscription);
        Emit("customer.subscription.updated", subscription);
        return Ok(schedule);
    }

    private (int, string) CreateRefund(Form form)
    {
        var paymentIntent = form["payment_intent"];
        var intent = paymentIntent is null ? null : _paymentIntents.GetValueOrDefault(paymentIntent);
        var amount = form.Long("amount") ?? intent?["amount"]!.GetValue<long>() ?? 0;
        var currency = intent?["currency"]!.GetValue<string>() ?? "eur";
        var charge = form["charge"] ?? intent?["latest_charge"]?.GetValue<string>() ?? "ch_unknown";
        var refund = StripeEvents.Refund(NextId("re_fake_"), paymentIntent ?? charge, charge, amount, currency, form["reason"], _clock.GetUtcNow());
        if (paymentIntent is null)
        {
            refund["payment_intent"] = null;
        }

        refund["metadata"] = form.Object("metadata");
        _refunds.Add(refund);
        Emit("refund.created", refund);
        return Ok(refund);
    }

    private static void Release(JsonObject schedule, JsonObject subscription)
    {
        schedule["status"] = "released";
        schedule["released_subscription"] = subscription["id"]!.DeepClone();
        schedule["subscription"] = null;
        subscription["schedule"] = null;
    }

    private static JsonObject Phase(long start, long end, string price, int quantity, string? proration) => new()
    {
        ["start_date"] = start,
        ["end_date"] = end,
        ["proration_behavior"] = proration ?? "create_prorations",
        ["items"] = new JsonArray(new JsonObject { ["price"] = price, ["quantity"] = quantity, ["metadata"] = new JsonObject() }),
    };

    private JsonObject NewInvoice(JsonObject subscription, bool paid, int attempts)
    {
        var item = subscription["items"]!["data"]![0]!;
        var price = item["price"]!["id"]!.GetValue<string>();
        var (amount, currency) = PriceOf(price, item["quantity"]!.GetValue<int>());
        var account = Account(subscription["metadata"]?[StripeEvents.AccountMetadataKey]?.GetValue<string>());
        var invoice = StripeEvents.Invoice(
            NextId("in_fake_"), subscription["customer"]!.GetValue<string>(), subscription["id"]!.GetValue<string>(), account, amount, currency,
            DateTimeOffset.FromUnixTimeSeconds(item["current_period_start"]!.GetValue<long>()),
            DateTimeOffset.FromUnixTimeSeconds(item["current_period_end"]!.GetValue<long>()), paid, attempts);
        _invoices[invoice["id"]!.GetValue<string>()] = invoice;
        return invoice;
    }

    private (long, string) PriceOf(string priceId, int quantity) =>
        Prices.TryGetValue(priceId, out var p) ? (p.AmountMinor * quantity, p.Currency) : (1000L * quantity, "eur");

    private static void SetPeriod(JsonObject subscription, DateTimeOffset start, DateTimeOffset end)
    {
        var item = subscription["items"]!["data"]![0]!.AsObject();
        item["current_period_start"] = start.ToUnixTimeSeconds();
        item["current_period_end"] = end.ToUnixTimeSeconds();
        if (subscription["cancel_at"] is not null)
        {
            subscription["cancel_at"] = end.ToUnixTimeSeconds();
        }
    }

    private void Emit(string type, JsonObject obj)
    {
        var id = NextId("evt_fake_");
        var created = _eventEpoch + ++_eventSeconds;
        _events.Add(new FakeStripeEvent(id, type, created, StripeEvents.Envelope(type, obj, id, created)));
    }

    private string NextId(string prefix) => prefix + (++_ids).ToString(CultureInfo.InvariantCulture);

    private static Guid? Account(string? value) => Guid.TryParse(value, out var id) ? id : null;

    private static (int, string) Ok(JsonObject body) => (200, body.ToJsonString());

    private static (int, string) Found(Dictionary<string, JsonObject> objects, string id) =>
        objects.TryGetValue(id, out var obj) ? Ok(obj) : Missing();

    private static (int, string) Missing() => (404, Error("invalid_request_error", "resource_missing", "No such object."));

    private static string Error(string type, string? code, string message, string? param = null) =>
        new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["code"] = code, ["message"] = message, ["param"] = param } }.ToJsonString();

    private sealed record SessionTerms(string Mode, string PriceId, int Quantity, int? TrialDays, Guid? SubscriptionAccount, Guid? PaymentAccount);

    private sealed class Form(List<KeyValuePair<string, string>> items)
    {
        public string? this[string key] => items.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();

        public long? Long(string key) => long.TryParse(this[key], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v) ? v : null;

        /// <summary><c>prefix[key]=value</c> pairs as an object (metadata).</summary>
        public JsonObject Object(string prefix)
        {
            var obj = new JsonObject();
            foreach (var (key, value) in items)
            {
                if (key.StartsWith(prefix + "[", StringComparison.Ordinal) && key.EndsWith(']') && key.IndexOf('[', prefix.Length + 1) < 0)
                {
                    obj[key[(prefix.Length + 1)..^1]] = value;
                }
            }

            return obj;
        }
    }
}
