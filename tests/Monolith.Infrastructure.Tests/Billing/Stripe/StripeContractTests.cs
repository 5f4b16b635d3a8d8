using System.Globalization;
using System.Text.Json;
using Monolith.Application.Billing.Payments;
using Monolith.Domain.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>
/// Every request the adapter can send, checked against Stripe's official OpenAPI spec for 2023-08-16: the path and
/// method exist, and each form parameter exists there with the right type/enum. What is newer than that spec is an
/// explicit, listed exception.
/// </summary>
public sealed class StripeContractTests
{
    /// <summary>Paths the adapter calls that the 2023-08-16 spec predates, with the reason.</summary>
    public static readonly IReadOnlyDictionary<string, string> NewerThanSpec = new Dictionary<string, string>
    {
        ["POST /v1/billing/meter_events"] = "Billing meters (usage-based billing v2) were released in 2024-04 (API 2024-04-10); the legacy usage records they replace are deprecated.",
    };

    private static readonly Lazy<JsonDocument> Spec = new(() => StripeFiles.Load("spec3-2023-08-16.json"));

    private static readonly Guid Account = Guid.Parse("6f1d3c1e-2a4b-4c5d-8e9f-0a1b2c3d4e5f");

    /// <summary>Every request builder, with inputs that switch every optional parameter on.</summary>
    internal static IReadOnlyDictionary<string, StripeRequest> AllRequests()
    {
        var success = new Uri("https://app.example.test/billing/success?from=pricing");
        var cancel = new Uri("https://app.example.test/pricing");
        return new Dictionary<string, StripeRequest>
        {
            ["customer"] = StripeRequests.CreateCustomer(new CreateCustomerRequest(Account, Guid.NewGuid(), "a@example.test", "A"), "k"),
            ["checkout subscription"] = StripeRequests.CreateCheckoutSession(
                new CreateCheckoutRequest(Account, "cus_1", CheckoutMode.Subscription, "price_1", 2, 14, success, cancel, true, true), "k"),
            ["checkout payment"] = StripeRequests.CreateCheckoutSession(
                new CreateCheckoutRequest(Account, "cus_1", CheckoutMode.Payment, "price_1", 1, null, success, cancel), "k"),
            ["portal"] = StripeRequests.CreatePortalSession("cus_1", cancel),
            ["retrieve subscription"] = StripeRequests.RetrieveSubscription("sub_1"),
            ["retrieve price"] = StripeRequests.RetrievePrice("price_1"),
            ["cancel at period end"] = StripeRequests.SetCancelAtPeriodEnd("sub_1", true, "k"),
            ["resume"] = StripeRequests.SetCancelAtPeriodEnd("sub_1", false, "k"),
            ["change always_invoice"] = StripeRequests.ChangeSubscription(new ChangeSubscriptionRequest("sub_1", "price_2", 3, ProrationMode.AlwaysInvoice), "si_1", "k"),
            ["change create_prorations"] = StripeRequests.ChangeSubscription(new ChangeSubscriptionRequest("sub_1", "price_2", 3, ProrationMode.CreateProrations), "si_1", "k"),
            ["change none"] = StripeRequests.ChangeSubscription(new ChangeSubscriptionRequest("sub_1", "price_2", 1, ProrationMode.None), "si_1", "k"),
            ["cancel now"] = StripeRequests.CancelSubscription("sub_1", "k"),
            ["schedule from subscription"] = StripeRequests.CreateScheduleFromSubscription("sub_1", "k"),
            ["retrieve schedule"] = StripeRequests.RetrieveSchedule("sub_sched_1"),
            ["schedule change at period end"] = StripeRequests.ScheduleChangeAtPeriodEnd(
                "sub_sched_1", new SchedulePhase("price_1", 2, DateTimeOffset.FromUnixTimeSeconds(1767225600), DateTimeOffset.FromUnixTimeSeconds(1769904000)), "price_2", 1, "k"),
            ["release schedule"] = StripeRequests.ReleaseSchedule("sub_sched_1", "k"),
            ["refund payment intent, enum reason"] = StripeRequests.CreateRefund(new RefundRequest("pi_1", 500, "EUR", "duplicate"), "k"),
            ["refund charge, free-text reason"] = StripeRequests.CreateRefund(new RefundRequest("ch_1", 500, "EUR", "goodwill"), "k"),
            ["retrieve checkout session"] = StripeRequests.RetrieveCheckoutSession("cs_1"),
            ["retrieve payment intent"] = StripeRequests.RetrievePaymentIntent("pi_1"),
            ["meter event"] = StripeRequests.CreateMeterEvent(new UsageReport("cus_1", "api-calls", 5, DateTimeOffset.FromUnixTimeSeconds(1767225600)), "k"),
        };
    }

    public static TheoryData<string> RequestNames() => new(AllRequests().Keys);

    /// <summary>(request, parameter) pairs, each checked on its own.</summary>
    public static TheoryData<string, string> Parameters()
    {
        var data = new TheoryData<string, string>();
        foreach (var (name, request) in AllRequests())
        {
            foreach (var p in request.Parameters)
            {
                data.Add(name, p.Key);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RequestNames))]
    public void Request_PathAndMethod_ExistInTheSpecOrAreListedExceptions(string name)
    {
        var request = AllRequests()[name];
        var key = $"{request.Method.Method} {request.SpecPath}";
        var operation = Operation(request);

        if (NewerThanSpec.ContainsKey(key))
        {
            Assert.Null(operation); // an exception that the spec now covers must be removed from the list
            return;
        }

        Assert.NotNull(operation);
        Assert.Matches("^" + System.Text.RegularExpressions.Regex.Replace(request.SpecPath.Replace("/", "\\/", StringComparison.Ordinal), "\\{[a-z_]+\\}", "[^/]+") + "$", request.Path);
        // Every mutation carries a key (the portal session is a read-only link: a repeat is harmless).
        Assert.Equal(request.Method != HttpMethod.Get, request.IdempotencyKey is not null || request.SpecPath == "/v1/billing_portal/sessions");
    }

    [Theory]
    [MemberData(nameof(Parameters))]
    public void Parameter_ExistsWithTheRightTypeInTheSpec(string name, string parameter)
    {
        var request = AllRequests()[name];
        if (NewerThanSpec.ContainsKey($"{request.Method.Method} {request.SpecPath}"))
        {
            return;
        }

        var schema = Operation(request)!.Value.Get("requestBody.content.application/x-www-form-urlencoded.schema");
        Assert.True(schema.HasValue, $"{name}: no form body in the spec");
        var value = request.Parameters.First(p => p.Key == parameter).Value;

        var problem = Check(schema.Value, Segments(parameter), value);

        Assert.True(problem is null, $"{name}: {parameter}={value}: {problem}");
    }

    [Fact]
    public void Contract_CoversEveryRequestAndParameter()
    {
        Assert.Equal(21, AllRequests().Count);
        Assert.Equal(63, Parameters().Count);
        Assert.Single(NewerThanSpec);
    }

    [Fact]
    public void SpecCheck_RefusesUnknownParametersAndWrongTypes()
    {
        var schema = Operation(AllRequests()["checkout subscription"])!.Value.Get("requestBody.content.application/x-www-form-urlencoded.schema")!.Value;

        Assert.NotNull(Check(schema, Segments("no_such_param"), "x"));
        Assert.NotNull(Check(schema, Segments("mode"), "rental"));
        Assert.NotNull(Check(schema, Segments("line_items[0][quantity]"), "two"));
        Assert.NotNull(Check(schema, Segments("allow_promotion_codes"), "yes"));
        Assert.Null(Check(schema, Segments("metadata[anything]"), "x"));
    }

    private static JsonElement? Operation(StripeRequest request) =>
        Spec.Value.RootElement.GetProperty("paths") is var paths && paths.TryGetProperty(request.SpecPath, out var path) &&
        path.TryGetProperty(request.Method.Method.ToLowerInvariant(), out var op)
            ? op
            : null;

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
