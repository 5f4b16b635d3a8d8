using Monolith.Application.Billing.Checkout.CreateCheckoutSession;
using Monolith.Application.Billing.Checkout.GetCheckoutStatus;
using Monolith.Domain.Billing.Payments;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Billing.UseCases;

/// <summary>
/// GetCheckoutStatus answers only about the caller's own organisation's sessions: a session id taken from another
/// organisation is not found, whichever organisation the caller names. No webhook is needed: the session is open.
/// </summary>
public abstract class CheckoutStatusTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    private ApplicationHost _host = null!;

    public Task InitializeAsync()
    {
        _host = new ApplicationHost(database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task GetStatus_OfTheOwnOrganizationsOpenSession_IsOpenAndNotConfirmed()
    {
        var owner = await _host.RegisterAsync();
        var session = await StartCheckoutAsync(owner.PersonalOrganizationId, owner.UserId);

        var status = await _host.SendAsync(new GetCheckoutStatusQuery(owner.PersonalOrganizationId, session), owner.UserId);

        Assert.True(status.IsSuccess);
        Assert.Equal("pro-monthly", status.Value.PriceId);
        Assert.Equal(CheckoutStatus.Open, status.Value.Status);
        Assert.False(status.Value.Confirmed);
    }

    [Fact]
    public async Task GetStatus_OfAnotherOrganizationsSessionInTheCallersOwnOrganization_IsNotFound()
    {
        var owner = await _host.RegisterAsync();
        var stranger = await _host.RegisterAsync();
        var session = await StartCheckoutAsync(owner.PersonalOrganizationId, owner.UserId);

        var status = await _host.SendAsync(new GetCheckoutStatusQuery(stranger.PersonalOrganizationId, session), stranger.UserId);

        Assert.True(status.IsFailure);
        Assert.Equal("billing.checkout.session_not_found", status.Error.Code);
    }

    [Fact]
    public async Task GetStatus_NamingAnotherOrganization_IsOrganizationNotFound()
    {
        var owner = await _host.RegisterAsync();
        var stranger = await _host.RegisterAsync();
        var session = await StartCheckoutAsync(owner.PersonalOrganizationId, owner.UserId);

        var status = await _host.SendAsync(new GetCheckoutStatusQuery(owner.PersonalOrganizationId, session), stranger.UserId);

        Assert.True(status.IsFailure);
        Assert.Equal("auth.organization_not_found", status.Error.Code);
    }

    private async Task<string> StartCheckoutAsync(Guid organizationId, Guid userId)
    {
        var created = await _host.SendAsync(new CreateCheckoutSessionCommand(organizationId, "pro-monthly", 1,
            new Uri(ApplicationHost.Origin, "/billing/success").ToString(), new Uri(ApplicationHost.Origin, "/billing/canceled").ToString()), userId);
        Assert.True(created.IsSuccess, created.IsFailure ? created.Error.Code : null);
        return created.Value.ProviderSessionId;
    }
}

public sealed class PostgresCheckoutStatusTests(PostgresTestDatabase database) : CheckoutStatusTests<PostgresTestDatabase>(database);

public sealed class SqliteCheckoutStatusTests(SqliteTestDatabase database) : CheckoutStatusTests<SqliteTestDatabase>(database);
