using System.Text;
using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Monolith.TestSupport.Stripe;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

public sealed class StripeSignatureTests
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(300);

    /// <summary>Every (vector, recorded verification) pair of stripe-signature-vectors.json.</summary>
    public static TheoryData<string, string> Verifications()
    {
        using var doc = StripeFiles.Load("stripe-signature-vectors.json");
        var data = new TheoryData<string, string>();
        foreach (var vector in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            foreach (var verification in vector.GetProperty("verification").EnumerateObject())
            {
                data.Add(vector.GetProperty("name").GetString()!, verification.Name);
            }
        }

        return data;
    }

    public static TheoryData<int> HeaderCases()
    {
        using var doc = StripeFiles.Load("stripe-signature-vectors.json");
        var data = new TheoryData<int>();
        for (var i = 0; i < doc.RootElement.GetProperty("header_cases").GetArrayLength(); i++)
        {
            data.Add(i);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Verifications))]
    public void Vector_GivesTheRecordedVerdict(string vectorName, string scenario)
    {
        using var doc = StripeFiles.Load("stripe-signature-vectors.json");
        var vector = doc.RootElement.GetProperty("vectors").EnumerateArray().Single(v => v.GetProperty("name").GetString() == vectorName);
        var payload = vector.GetProperty("payload").GetString()!;
        var secret = vector.GetProperty("secret").GetString()!;
        var t = vector.GetProperty("timestamp").GetInt64();
        var header = vector.GetProperty("header").GetString()!;
        var expected = vector.GetProperty("verification").GetProperty(scenario).GetProperty("ok").GetBoolean();

        // Each recorded scenario, replayed with the same inputs the generator used.
        var (body, key, now, tolerance) = scenario switch
        {
            "valid_at_t_plus_10s" => (payload, secret, t + 10, Tolerance),
            "valid_at_t_plus_300s_boundary" => (payload, secret, t + 300, Tolerance),
            "valid_when_timestamp_is_1h_in_future" => (payload, secret, t - 3600, Tolerance),
            "tampered_body" => (vector.GetProperty("tampered_payload").GetString()!, secret, t + 10, Tolerance),
            "wrong_secret" => (payload, secret + "_wrong", t + 10, Tolerance),
            "stale_t_plus_301s" => (payload, secret, t + 301, Tolerance),
            "stale_against_real_clock" => (payload, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), Tolerance),
            "stale_ignored_with_tolerance_0" => (payload, secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), TimeSpan.Zero),
            _ => throw new InvalidOperationException($"Unknown recorded scenario '{scenario}': teach this test what it means."),
        };

        Assert.Equal(vector.GetProperty("v1_hex").GetString(), header.Split("v1=")[1]);
        var verdict = StripeSignature.Verify(Encoding.UTF8.GetBytes(body), header, [key], DateTimeOffset.FromUnixTimeSeconds(now), tolerance);

        Assert.Equal(expected, verdict);
    }

    [Theory]
    [MemberData(nameof(HeaderCases))]
    public void HeaderCase_GivesTheRecordedVerdict(int index)
    {
        using var doc = StripeFiles.Load("stripe-signature-vectors.json");
        var c = doc.RootElement.GetProperty("header_cases")[index];
        var payload = doc.RootElement.GetProperty("vectors").EnumerateArray()
            .Single(v => v.GetProperty("name").GetString() == c.GetProperty("payload_ref").GetString()).GetProperty("payload").GetString()!;

        var verdict = StripeSignature.Verify(
            Encoding.UTF8.GetBytes(payload), c.GetProperty("header").GetString(), [c.GetProperty("secret").GetString()!],
            DateTimeOffset.FromUnixTimeSeconds(c.GetProperty("timestamp_received").GetInt64()), Tolerance);

        Assert.Equal(c.GetProperty("result").GetProperty("ok").GetBoolean(), verdict);
    }

    [Fact]
    public void Vectors_AreAllCovered()
    {
        Assert.Equal(32, Verifications().Count);
        Assert.Equal(6, HeaderCases().Count);
    }

    [Fact]
    public void Verify_WithSeveralConfiguredSecrets_AcceptsAnyOfThem()
    {
        var body = "{\"id\":\"evt_1\"}"u8.ToArray();
        var header = StripeSignature.Sign(body, "whsec_old", 1000);
        var at = DateTimeOffset.FromUnixTimeSeconds(1010);

        Assert.True(StripeSignature.Verify(body, header, ["whsec_new", "whsec_old"], at, Tolerance));
        Assert.False(StripeSignature.Verify(body, header, ["whsec_new"], at, Tolerance));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("t=abc,v1=00")]
    [InlineData("t=,v1=00")]
    [InlineData("garbage")]
    public void Verify_MalformedHeader_IsRefused(string? header) =>
        Assert.False(StripeSignature.Verify("{}"u8, header, ["whsec_x"], DateTimeOffset.FromUnixTimeSeconds(1), Tolerance));

    [Fact]
    public async Task ParseWebhook_SignedWithTheRotatedOutSecret_IsAcceptedAndBadSignatureIsRefusedBeforeParsing()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var body = StripeFiles.Event("customer.created", StripeFiles.Fixture("customer"));
        var at = DateTimeOffset.FromUnixTimeSeconds(1767225600);

        var old = stripe.Port.ParseWebhook(body, Headers(StripeSignature.Sign(body, StripeHarness.OldWebhookSecret, 1767225600)), at.AddSeconds(5));
        var notJsonButBadlySigned = stripe.Port.ParseWebhook("not json"u8, Headers("t=1767225600,v1=00"), at);
        var unsigned = stripe.Port.ParseWebhook(body, new Dictionary<string, string>(), at);
        var stale = stripe.Port.ParseWebhook(body, Headers(StripeSignature.Sign(body, StripeHarness.WebhookSecret, 1767225600)), at.AddSeconds(301));

        Assert.True(old.IsSuccess);
        Assert.Empty(old.Value.Events);
        Assert.Equal(PaymentsErrors.SignatureInvalid, notJsonButBadlySigned.Error);
        Assert.Equal(PaymentsErrors.SignatureInvalid, unsigned.Error);
        Assert.Equal(PaymentsErrors.SignatureInvalid, stale.Error);
    }

    [Fact]
    public async Task ParseWebhook_SignedButNotJson_IsPayloadInvalid()
    {
        await using var stripe = await StripeHarness.StartAsync();
        var body = "not json"u8.ToArray();

        var result = stripe.Port.ParseWebhook(body, Headers(StripeSignature.Sign(body, StripeHarness.WebhookSecret, 100)), DateTimeOffset.FromUnixTimeSeconds(100));

        Assert.Equal(PaymentsErrors.PayloadInvalid, result.Error);
    }

    internal static Dictionary<string, string> Headers(string signature) =>
        new(StringComparer.OrdinalIgnoreCase) { ["stripe-signature"] = signature };

    /// <summary>The test-side signer other suites use must agree with Stripe's own vectors (and so with the verifier).</summary>
    [Fact]
    public void TestSupportSigner_ReproducesEveryVectorsSignature()
    {
        using var doc = StripeFiles.Load("stripe-signature-vectors.json");
        var vectors = doc.RootElement.GetProperty("vectors").EnumerateArray().ToList();
        Assert.NotEmpty(vectors);
        foreach (var vector in vectors)
        {
            var payload = Encoding.UTF8.GetBytes(vector.GetProperty("payload").GetString()!);
            var secret = vector.GetProperty("secret").GetString()!;
            var timestamp = vector.GetProperty("timestamp").GetInt64();

            Assert.Equal(vector.GetProperty("v1_hex").GetString(), StripeWebhookSigner.Signature(payload, secret, timestamp));
            var header = StripeWebhookSigner.Header(payload, DateTimeOffset.FromUnixTimeSeconds(timestamp), "whsec_other_secret_0123456789", secret);
            Assert.True(StripeSignature.Verify(payload, header, [secret], DateTimeOffset.FromUnixTimeSeconds(timestamp), Tolerance));
        }
    }
}
