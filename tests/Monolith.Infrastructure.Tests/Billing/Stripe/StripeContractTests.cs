using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Monolith.Application.Billing.PaymentMethods;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>
/// Every request the adapter sends through Stripe.net — every port operation and the doctor's reads, with inputs that
/// switch every optional parameter on, captured by the fake Stripe — checked against Stripe's official OpenAPI spec for
/// 2023-08-16: the path and method exist, and each form (POST) or query (GET, DELETE) parameter exists there with the
/// right type/enum. What is newer than that spec is an explicit, listed exception.
/// </summary>
public sealed class StripeContractTests
{
    /// <summary>Operations the adapter calls that the 2023-08-16 spec predates, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NewerThanSpec = new Dictionary<string, string>
    {
        ["POST /v1/billing/meter_events"] = "Billing meters (usage-based billing v2) were released in 2024-04 (API 2024-04-10); the legacy usage records they replace are deprecated.",
    };

    private static readonly Lazy<JsonDocument> Spec = new(() => StripeFiles.Load("spec3-2023-08-16.json"));

    private static readonly Guid Account = Guid.Parse("6f1d3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f");

    [Fact]
    public async Task EveryRequestTheAdapterSends_IsValidAgainstTheSpec()
    {
        var requests = await SendEverythingAsync();

        var problems = new List<string>();
        var exceptionsSeen = new HashSet<string>(StringComparer.Ordinal);
        var parametersChecked = new HashSet<string>(StringComparer.Ordinal);
        foreach (var request in requests)
        {
            var (template, operation) = Operation(request.Method, request.Path);
            var key = $"{request.Method} {template ?? request.Path}";
            if (NewerThanSpec.ContainsKey(key))
            {
                exceptionsSeen.Add(key);
                if (operation is not null)
                {
                    problems.Add($"{key} is listed as newer than the spec but the spec has it: remove the exception");
                }

                continue;
            }

            if (operation is null)
            {
                problems.Add($"{request.Method} {request.Path}: no such operation in the spec");
                continue;
            }

            foreach (var (parameter, value) in request.Form)
            {
                var problem = request.Method == "POST"
                    ? (FormSchema(operation.Value) is { } schema
                        ? Check(schema, Segments(parameter), value)
                        : "no form body in the spec")
                    : CheckQuery(operation.Value, parameter, value);
                if (problem is not null)
                {
                    problems.Add($"{key}: {parameter}={value}: {problem}");
                }

                parametersChecked.Add($"{key} {Regex.Replace(parameter, @"\[\d+\]", "[n]")}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
        Assert.Equal(NewerThanSpec.Keys.Order(StringComparer.Ordinal), exceptionsSeen.Order(StringComparer.Ordinal));
        // Distinct (operation, parameter) shapes checked: a request the fake did not capture cannot pass unnoticed.
        Assert.Equal(43, parametersChecked.Count);
    }

    [Fact]
    public async Task EveryRequest_CarriesTheSdkVersionAndEveryPostAKey()
    {
        var requests = await SendEverythingAsync();

        Assert.All(requests, r => Assert.Equal(global::Stripe.StripeConfiguration.ApiVersion, r.Header("Stripe-Version")));
        // Our own key on every POST; the portal session (a read-only link) gets the one Stripe.net makes up.
        Assert.All(requests.Where(r => r.Method == "POST" && r.Path != "/v1/billing_portal/sessions"),
            r => Assert.StartsWith("contract-", r.Header("Idempotency-Key"), StringComparison.Ordinal));
        Assert.NotNull(Assert.Single(requests, r => r.Path == "/v1/billing_portal/sessions").Header("Idempotency-Key"));
        // The set of operations covered (so a new port call cannot go unchecked by accident).
        Assert.Equal(
            [
                "DELETE /v1/subscriptions/{id}", "GET /v1/checkout/sessions/{id}", "GET /v1/customers/{id}/payment_methods", "GET /v1/payment_intents/{id}", "GET /v1/prices", "GET /v1/prices/{id}",
                "GET /v1/subscription_schedules/{id}", "GET /v1/subscriptions/{id}", "POST /v1/billing/meter_events", "POST /v1/billing_portal/sessions",
                "POST /v1/checkout/sessions", "POST /v1/customers", "POST /v1/customers/{id}", "POST /v1/refunds", "POST /v1/subscription_schedules",
                "POST /v1/subscription_schedules/{id}", "POST /v1/subscription_schedules/{id}/release", "POST /v1/subscriptions/{id}",
            ],
            requests.Select(r => $"{r.Method} {Regex.Replace(r.Path, "/(cus|cs|sub|sub_sched|pi|price|si)_[A-Za-z0-9_]+", "/{id}")}").Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void SpecCheck_RefusesUnknownParametersAndWrongTypes()
    {
        var schema = FormSchema(Operation("POST", "/v1/checkout/sessions").Operation!.Value)!.Value;
        var get = Operation("GET", "/v1/prices").Operation!.Value;

        Assert.NotNull(Check(schema, Segments("no_such_param"), "x"));
        Assert.NotNull(Check(schema, Segments("mode"), "rental"));
        Assert.NotNull(Check(schema, Segments("line_items[0][quantity]"), "two"));
        Assert.NotNull(Check(schema, Segments("allow_promotion_codes"), "yes"));
        Assert.Null(Check(schema, Segments("metadata[anything]"), "x"));
        Assert.NotNull(CheckQuery(get, "no_such_param", "1"));
        Assert.NotNull(CheckQuery(get, "limit", "ten"));
        Assert.Null(CheckQuery(get, "limit", "1"));
        Assert.Null(CheckQuery(get, "expand[]", "data.product"));
        Assert.Null(Operation("GET", "/v1/no_such_thing/x").Operation);
    }

    /// <summary>Every port operation and the doctor, against a fake Stripe; the requests it received, in order.</summary>
    private static async Task<IReadOnlyList<FakeStripeRequest>> SendEverythingAsync()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var port = stripe.Port;
        var success = new Uri("https://app.example.test/billing/success?from=pricing");
        var cancel = new Uri("https://app.example.test/pricing");
        var sub = FakeStripe.SubscriptionId;
        var identity = new CreateCustomerRequest(Account, Guid.NewGuid(), "a@example.test", "Acme GmbH");
        var customer = await port.CreateCustomerAsync(identity, "contract-customer", default);
        var outcomes = new List<(string, Monolith.Domain.Common.Result)>
        {
            ("customer", customer),
            ("update customer", await port.UpdateCustomerAsync(customer.Value, identity with { Name = "Acme AG", Email = "b@example.test" }, "contract-customer-update", default)),
            ("payment methods (escape hatch)", await stripe.Services.GetRequiredService<IPaymentMethods>().ListAsync(customer.Value, default)),
            ("checkout subscription", await port.CreateCheckoutSessionAsync(
                new CreateCheckoutRequest(Account, "cus_1", CheckoutMode.Subscription, FakeStripe.ProMonthly, 2, 14, success, cancel, true, true), "contract-checkout-1", default)),
        };
        var payment = await port.CreateCheckoutSessionAsync(
            new CreateCheckoutRequest(Account, "cus_1", CheckoutMode.Payment, FakeStripe.Lifetime, 1, null, success, cancel), "contract-checkout-2", default);
        var intent = stripe.Fake.CompleteCheckout(payment.Value.ProviderSessionId);
        outcomes.AddRange(
        [
            ("checkout payment", payment),
            ("portal", await port.CreatePortalSessionAsync("cus_1", cancel, default)),
            ("cancel at period end", await port.CancelSubscriptionAsync(sub, atPeriodEnd: true, "contract-cancel-end", default)),
            ("resume", await port.ResumeSubscriptionAsync(sub, "contract-resume", default)),
            ("change always_invoice", await port.ChangeSubscriptionAsync(new(sub, FakeStripe.TeamMonthly, 3, ProrationMode.AlwaysInvoice), "contract-change-1", default)),
            ("change create_prorations", await port.ChangeSubscriptionAsync(new(sub, FakeStripe.TeamMonthly, 2, ProrationMode.CreateProrations), "contract-change-2", default)),
            ("change none", await port.ChangeSubscriptionAsync(new(sub, FakeStripe.TeamMonthly, 1, ProrationMode.None), "contract-change-3", default)),
            ("change at period end (new schedule)", await port.ChangeSubscriptionAsync(new(sub, FakeStripe.ProMonthly, 1, ProrationMode.None, AtPeriodEnd: true), "contract-change-4", default)),
            ("change at period end (its schedule)", await port.ChangeSubscriptionAsync(new(sub, FakeStripe.ProMonthly, 2, ProrationMode.None, AtPeriodEnd: true), "contract-change-5", default)),
            ("change now (releases the schedule)", await port.ChangeSubscriptionAsync(new(sub, FakeStripe.ProMonthly, 1, ProrationMode.AlwaysInvoice), "contract-change-6", default)),
            ("refund payment intent, enum reason", await port.RefundPaymentAsync(new RefundRequest(intent, 500, "EUR", "duplicate"), "contract-refund-1", default)),
            ("refund charge, free-text reason", await port.RefundPaymentAsync(new RefundRequest("ch_1", 500, "EUR", "goodwill"), "contract-refund-2", default)),
            ("fetch checkout session", await port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.CheckoutSession, payment.Value.ProviderSessionId), default)),
            ("fetch payment intent", await port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Payment, intent), default)),
            ("fetch subscription", await port.FetchAsync(new ProviderObjectRef(ProviderObjectKind.Subscription, sub), default)),
            ("meter event", await port.ReportUsageAsync(new UsageReport("cus_1", "api-calls", 5, DateTimeOffset.FromUnixTimeSeconds(1767225600)), "contract-usage", default)),
            ("cancel now", await port.CancelSubscriptionAsync(sub, atPeriodEnd: false, "contract-cancel-now", default)),
        ]);
        Assert.All(outcomes, o => Assert.True(o.Item2.IsSuccess, $"{o.Item1}: {o.Item2.Error?.Code} {o.Item2.Error?.Message}"));
        Assert.All(await stripe.Services.GetRequiredService<IPaymentsDoctor>().CheckAsync(default), f => Assert.True(f.Ok, f.Message));
        return stripe.Fake.Requests.ToArray();
    }

    /// <summary>The spec's path template matching <paramref name="path"/> (literal segments first) and its operation.</summary>
    private static (string? Template, JsonElement? Operation) Operation(string method, string path)
    {
        foreach (var candidate in Spec.Value.RootElement.GetProperty("paths").EnumerateObject().OrderBy(p => p.Name.Count(c => c == '{')))
        {
            var pattern = "^" + Regex.Replace(Regex.Escape(candidate.Name), @"\\{[a-z_]+}", "[^/]+") + "$";
            if (Regex.IsMatch(path, pattern))
            {
                return (candidate.Name, candidate.Value.TryGetProperty(method.ToLowerInvariant(), out var op) ? op : null);
            }
        }

        return (null, null);
    }

    private static JsonElement? FormSchema(JsonElement operation) =>
        operation.TryGetProperty("requestBody", out var body) && body.GetProperty("content").TryGetProperty("application/x-www-form-urlencoded", out var form)
            ? form.GetProperty("schema")
            : null;

    /// <summary>A query parameter (<c>limit</c>, <c>expand[]</c>, <c>created[gte]</c>) against the operation's <c>in: query</c> parameters.</summary>
    private static string? CheckQuery(JsonElement operation, string parameter, string value)
    {
        var segments = Segments(parameter);
        if (operation.TryGetProperty("parameters", out var parameters))
        {
            foreach (var p in parameters.EnumerateArray())
            {
                if (p.GetProperty("in").GetString() == "query" && p.GetProperty("name").GetString() == segments[0])
                {
                    return Check(p.GetProperty("schema"), segments.AsSpan(1), value);
                }
            }
        }

        return $"no query parameter '{segments[0]}'";
    }

    /// <summary><c>a[b][0][c]</c> → a, b, 0, c; <c>expand[]</c> → expand, "".</summary>
    private static string[] Segments(string key)
    {
        var first = key.IndexOf('[', StringComparison.Ordinal);
        if (first < 0)
        {
            return [key];
        }

        var rest = key[first..].Split(']', StringSplitOptions.None).Where(s => s.StartsWith('[')).Select(s => s[1..]);
        return [key[..first], .. rest];
    }

    /// <summary>Null when <paramref name="value"/> fits the schema at <paramref name="path"/>, else the reason.</summary>
    private static string? Check(JsonElement schema, ReadOnlySpan<string> path, string value)
    {
        schema = Resolve(schema);
        if (schema.TryGetProperty("anyOf", out var anyOf))
        {
            string? last = null;
            foreach (var alternative in anyOf.EnumerateArray())
            {
                last = Check(alternative, path, value);
                if (last is null)
                {
                    return null;
                }
            }

            return last ?? "no alternative";
        }

        var type = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (path.IsEmpty)
        {
            if (schema.TryGetProperty("enum", out var values) && !values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.String && v.GetString() == value))
            {
                return $"not one of {values}";
            }

            return type switch
            {
                "string" => null,
                "integer" => long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? null : "not an integer",
                "number" => decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _) ? null : "not a number",
                "boolean" => value is "true" or "false" ? null : "not a boolean",
                _ => $"a leaf of type {type ?? "?"}",
            };
        }

        var segment = path[0];
        if (type == "array")
        {
            return segment.Length == 0 || int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out _)
                ? Check(schema.GetProperty("items"), path[1..], value)
                : $"'{segment}' is not an array index";
        }

        if (type == "object" || schema.TryGetProperty("properties", out _))
        {
            if (schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(segment, out var property))
            {
                return Check(property, path[1..], value);
            }

            if (schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind != JsonValueKind.False)
            {
                return additional.ValueKind == JsonValueKind.True ? null : Check(additional, path[1..], value);
            }

            return $"no property '{segment}'";
        }

        return $"'{segment}' under a {type ?? "?"}";
    }

    private static JsonElement Resolve(JsonElement schema)
    {
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            schema = Spec.Value.RootElement.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }

        return schema;
    }
}
