using System.Net;
using Monolith.Infrastructure.Billing.Payments.Stripe;
using Polly;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

public sealed class StripeRequestsTests
{
    [Theory]
    [InlineData("https://app.example.test/billing/success", "https://app.example.test/billing/success?session_id={CHECKOUT_SESSION_ID}")]
    [InlineData("https://app.example.test/s?from=pricing", "https://app.example.test/s?from=pricing&session_id={CHECKOUT_SESSION_ID}")]
    [InlineData("https://app.example.test/s?x=1#top", "https://app.example.test/s?x=1&session_id={CHECKOUT_SESSION_ID}#top")]
    [InlineData("https://app.example.test/s?session_id={CHECKOUT_SESSION_ID}", "https://app.example.test/s?session_id={CHECKOUT_SESSION_ID}")]
    public void SuccessUrl_GetsTheSessionPlaceholderOnce(string url, string expected) =>
        Assert.Equal(expected, StripeRequests.SuccessUrl(new Uri(url)));

    [Fact]
    public void Encode_FlattensNestedKeysAndEscapesValues()
    {
        var body = StripeRequests.Encode(
        [
            new("line_items[0][price]", "price_1"),
            new("subscription_data[metadata][billing_account_id]", "a b&c"),
            new("expand[]", "latest_invoice"),
        ]);

        Assert.Equal("line_items%5B0%5D%5Bprice%5D=price_1&subscription_data%5Bmetadata%5D%5Bbilling_account_id%5D=a%20b%26c&expand%5B%5D=latest_invoice", body);
    }

    [Theory]
    [InlineData(409, null, true)]
    [InlineData(429, null, true)]
    [InlineData(500, null, true)]
    [InlineData(503, null, true)]
    [InlineData(400, null, false)]
    [InlineData(402, null, false)]
    [InlineData(500, "false", false)]
    [InlineData(400, "true", true)]
    public void ShouldRetry_FollowsStatusAndStripeShouldRetry(int status, string? header, bool expected)
    {
        using var response = new HttpResponseMessage((HttpStatusCode)status);
        if (header is not null)
        {
            response.Headers.Add("Stripe-Should-Retry", header);
        }

        Assert.Equal(expected, StripeResilienceHandler.ShouldRetry(Outcome.FromResult(response), CancellationToken.None));
    }

    [Fact]
    public void ShouldRetry_ConnectionErrorsYesCallerCancellationNo()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(StripeResilienceHandler.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new HttpRequestException("refused")), CancellationToken.None));
        Assert.False(StripeResilienceHandler.ShouldRetry(Outcome.FromException<HttpResponseMessage>(new OperationCanceledException()), cancelled.Token));
    }

    [Fact]
    public void RetryAfter_IsHonouredAndCapped()
    {
        using var soon = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        soon.Headers.Add("Retry-After", "2");
        using var late = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        late.Headers.Add("Retry-After", "120");
        using var none = new HttpResponseMessage(HttpStatusCode.InternalServerError);

        Assert.Equal(TimeSpan.FromSeconds(2), StripeResilienceHandler.RetryAfter(soon, TimeSpan.FromSeconds(8)));
        Assert.Equal(TimeSpan.FromSeconds(8), StripeResilienceHandler.RetryAfter(late, TimeSpan.FromSeconds(8)));
        Assert.Null(StripeResilienceHandler.RetryAfter(none, TimeSpan.FromSeconds(8)));
    }
}
