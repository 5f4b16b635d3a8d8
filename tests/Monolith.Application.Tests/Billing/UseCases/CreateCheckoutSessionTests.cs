using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Monolith.Application.Billing.Checkout.CreateCheckoutSession;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;
using Monolith.Infrastructure.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.InMemory;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.UseCases;

/// <summary>The checkout rules on real PostgreSQL, with the in-memory provider (the simulator) as the provider.</summary>
public sealed class CreateCheckoutSessionTests(PostgresTestDatabase database) : IClassFixture<PostgresTestDatabase>, IAsyncLifetime
{
    private static readonly string Success = new Uri(ApplicationHost.Origin, "/billing/success").ToString();
    private static readonly string Cancel = new Uri(ApplicationHost.Origin, "/billing/canceled").ToString();
    private ApplicationHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ApplicationHost(database, settings: new Dictionary<string, string?>
        {
            ["Billing:Checkout:TrialDays"] = "7",
            ["Billing:Checkout:RedirectAllowlist:0"] = "https://spa.example",
        });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Checkout_ForACataloguePrice_OpensTheHostedPageAndStoresTheSession()
    {
        var owner = await _host.RegisterAsync();

        var result = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly"), owner.UserId);

        Assert.StartsWith(new Uri(ApplicationHost.Origin, "/_simulator/checkout/").ToString(), result.Value.Url.ToString(), StringComparison.Ordinal);
        var view = Simulator.FindCheckout(result.Value.ProviderSessionId)!;
        Assert.Equal(1900, view.AmountMinor);
        Assert.Equal(1, await Sessions(owner.PersonalOrganizationId));
    }

    [Fact]
    public async Task Checkout_AgainForTheSamePrice_ReusesTheOpenSession()
    {
        var owner = await _host.RegisterAsync();

        var first = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly"), owner.UserId);
        var second = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly"), owner.UserId);

        Assert.True(second.Value.Reused);
        Assert.Equal(first.Value.Url, second.Value.Url);
        Assert.Equal(1, await Sessions(owner.PersonalOrganizationId));
    }

    [Fact]
    public async Task Checkout_ConcurrentRequests_CreateOneCustomerAndOneSession()
    {
        var owner = await _host.RegisterAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => _host.SendAsync(Command(owner.PersonalOrganizationId, "team-monthly"), owner.UserId))));

        Assert.Contains(results, r => r.IsSuccess);
        Assert.All(results.Where(r => r.IsFailure), r => Assert.Equal(ErrorKind.Conflict, r.Error!.Kind));
        Assert.Single(results.Where(r => r.IsSuccess).Select(r => r.Value.ProviderSessionId).Distinct());
        Assert.Equal(1, await Sessions(owner.PersonalOrganizationId));
        var accountId = await _host.QueryDbAsync(db => db.BillingAccounts.Where(a => a.OrganizationId == owner.PersonalOrganizationId).Select(a => a.Id).SingleAsync());
        Assert.Equal(1, await _host.QueryDbAsync(db => db.BillingAccounts.Where(a => a.Id == accountId).SelectMany(a => a.Customers).CountAsync()));
    }

    [Fact]
    public async Task Checkout_SameIdempotencyKey_ReplaysAndRefusesAChangedPayload()
    {
        var owner = await _host.RegisterAsync();
        var key = Guid.NewGuid().ToString();

        var first = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly") with { IdempotencyKey = key }, owner.UserId);
        var replay = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly") with { IdempotencyKey = key }, owner.UserId);
        var changed = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-yearly") with { IdempotencyKey = key }, owner.UserId);

        Assert.Equal(first.Value, replay.Value);
        Assert.Equal("idempotency.key_reused", changed.Error!.Code);
    }

    [Theory]
    [InlineData("https://evil.example/billing/success", "http://app.test/billing/canceled")]
    [InlineData("http://app.test/billing/success", "https://evil.example/")]
    [InlineData("http://app.test.evil.example/billing/success", "http://app.test/billing/canceled")]
    public async Task Checkout_RedirectToAnotherSite_IsRefusedAndNothingIsCreated(string success, string cancel)
    {
        var owner = await _host.RegisterAsync();

        var result = await _host.SendAsync(new CreateCheckoutSessionCommand(owner.PersonalOrganizationId, "pro-monthly", 1, success, cancel), owner.UserId);

        Assert.Equal("billing.checkout.redirect_not_allowed", result.Error!.Code);
        Assert.Equal(0, await Sessions(owner.PersonalOrganizationId));
    }

    [Fact]
    public async Task Checkout_RedirectToAnAllowlistedOrigin_IsAccepted()
    {
        var owner = await _host.RegisterAsync();

        var result = await _host.SendAsync(
            new CreateCheckoutSessionCommand(owner.PersonalOrganizationId, "pro-monthly", 1, "https://spa.example/done", "https://spa.example/back"), owner.UserId);

        Assert.True(result.IsSuccess);
    }

    [Theory]
    [InlineData("enterprise-monthly", "billing.checkout.price_not_found")]
    [InlineData("", "validation.failed")]
    public async Task Checkout_PriceNotInTheCatalogue_IsRefused(string priceId, string code)
    {
        var owner = await _host.RegisterAsync();

        var result = await _host.SendAsync(Command(owner.PersonalOrganizationId, priceId), owner.UserId);

        Assert.Equal(code, result.Error!.Code);
    }

    [Fact]
    public async Task Checkout_ByAPlainMember_IsForbidden_AndByAStranger_NotFound()
    {
        var owner = await _host.RegisterAsync();
        var member = await _host.RegisterAsync();
        var stranger = await _host.RegisterAsync();
        await _host.QueryDbAsync(async db =>
        {
            var organization = await db.Organizations.SingleAsync(o => o.Id == owner.PersonalOrganizationId);
            organization.AddMember(member.UserId, OrganizationRole.Member, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });

        var asMember = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly"), member.UserId);
        var asStranger = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly"), stranger.UserId);

        Assert.Equal("auth.role_required", asMember.Error!.Code);
        Assert.Equal("auth.organization_not_found", asStranger.Error!.Code);
        Assert.Equal(0, await Sessions(owner.PersonalOrganizationId));
    }

    [Fact]
    public async Task Checkout_Trial_IsOfferedOnlyWhileTheAccountHasNotUsedOne()
    {
        var owner = await _host.RegisterAsync();

        var first = await _host.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly"), owner.UserId);
        await _host.QueryDbAsync(async db =>
        {
            var account = await db.BillingAccounts.SingleAsync(a => a.OrganizationId == owner.PersonalOrganizationId);
            account.MarkTrialUsed(DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
        var second = await _host.SendAsync(Command(owner.PersonalOrganizationId, "team-monthly"), owner.UserId);

        Assert.Equal(7, Simulator.FindCheckout(first.Value.ProviderSessionId)!.TrialDays);
        Assert.Null(Simulator.FindCheckout(second.Value.ProviderSessionId)!.TrialDays);
    }

    [Fact]
    public async Task Checkout_PriceWithoutAnIdForTheActiveProvider_IsRefused()
    {
        await using var stripe = new ApplicationHost(database, settings: StripeSettings());
        var owner = await stripe.RegisterAsync();

        var result = await stripe.SendAsync(Command(owner.PersonalOrganizationId, "pro-monthly"), owner.UserId);

        Assert.Equal("billing.checkout.price_not_offered", result.Error!.Code);
    }

    [Fact]
    public async Task Checkout_WithStripeSelectedWithoutSecretKey_StopsNamingTheSettingAndStoresNothing()
    {
        var settings = StripeSettings();
        settings.Remove("Payments:Stripe:SecretKey");
        await using var stripe = new ApplicationHost(database, settings: settings);
        var before = await stripe.QueryDbAsync(db => db.CheckoutSessions.CountAsync());

        var error = Assert.Throws<OptionsValidationException>(() => stripe.Services.GetRequiredService<IOptions<PaymentsOptions>>().Value);

        Assert.Contains("Payments:Stripe:SecretKey", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, await stripe.QueryDbAsync(db => db.CheckoutSessions.CountAsync()));
    }

    /// <summary>Stripe selected and configured, pointed at a closed loopback port (no call in these tests reaches it).</summary>
    private static Dictionary<string, string?> StripeSettings() => new()
    {
        ["Payments:Provider"] = "Stripe",
        ["Payments:Stripe:SecretKey"] = "sk_test_not_used",
        ["Payments:Stripe:WebhookSecrets:0"] = "whsec_test_not_used",
        ["Payments:Stripe:ApiBase"] = "http://127.0.0.1:9",
    };

    private SimulatorState Simulator => _host.Services.GetRequiredService<SimulatorState>();

    private static CreateCheckoutSessionCommand Command(Guid organizationId, string priceId) => new(organizationId, priceId, 1, Success, Cancel);

    private Task<int> Sessions(Guid organizationId) => _host.QueryDbAsync(db =>
        db.CheckoutSessions.CountAsync(s => db.BillingAccounts.Any(a => a.Id == s.BillingAccountId && a.OrganizationId == organizationId)));
}
