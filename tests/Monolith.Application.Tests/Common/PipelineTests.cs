using Microsoft.EntityFrameworkCore;
using Monolith.Application.Accounts.Organizations.CreateOrganization;
using Monolith.Application.Accounts.Organizations.GetOrganization;
using Monolith.Application.Accounts.Organizations.RenameOrganization;
using Monolith.Application.Common.Behaviours;
using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;
using Monolith.TestSupport;

namespace Monolith.Application.Tests.Common;

/// <summary>The behaviours (validation → authorization → idempotency → transaction) on a real database, per provider.</summary>
public abstract class PipelineTests<TDatabase>(TDatabase database) : IClassFixture<TDatabase>, IAsyncLifetime
    where TDatabase : TestDatabase
{
    private ApplicationHost _host = null!;

    protected TDatabase Database { get; } = database;

    public Task InitializeAsync()
    {
        _host = new ApplicationHost(Database);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Validation_EmptyName_ReturnsValidationErrorWithFieldDetails()
    {
        var user = await _host.RegisterAsync();

        var result = await _host.SendAsync(new CreateOrganizationCommand(""), user.UserId);

        Assert.Equal("validation.failed", result.Error!.Code);
        Assert.Equal(ErrorKind.Validation, result.Error.Kind);
        Assert.Contains("Name", result.Error.Details!.Keys);
    }

    [Fact]
    public async Task Authorization_Anonymous_IsAskedToSignIn()
    {
        var result = await _host.SendAsync(new CreateOrganizationCommand("Acme"));

        Assert.Equal(ErrorKind.Unauthenticated, result.Error!.Kind);
    }

    [Fact]
    public async Task Authorization_NonMember_GetsNotFoundAndLearnsNothing()
    {
        var owner = await _host.RegisterAsync();
        var stranger = await _host.RegisterAsync();

        var result = await _host.SendAsync(new GetOrganizationQuery(owner.PersonalOrganizationId), stranger.UserId);

        Assert.Equal(AuthorizationBehaviour<GetOrganizationQuery, Result<OrganizationDetails>>.OrganizationNotFound, result.Error);
    }

    [Fact]
    public async Task Authorization_PlainMember_CannotRename_ButCanRead()
    {
        var owner = await _host.RegisterAsync();
        var member = await _host.RegisterAsync();
        await AddMemberAsync(owner.PersonalOrganizationId, member.UserId, OrganizationRole.Member);

        var rename = await _host.SendAsync(new RenameOrganizationCommand(owner.PersonalOrganizationId, "Renamed", 1), member.UserId);
        var read = await _host.SendAsync(new GetOrganizationQuery(owner.PersonalOrganizationId), member.UserId);

        Assert.Equal(ErrorKind.Forbidden, rename.Error!.Kind);
        Assert.True(read.IsSuccess);
        Assert.Equal(2, read.Value.Members.Count);
    }

    [Fact]
    public async Task Transaction_SuccessfulCommand_CommitsAggregateAndOutboxRowTogether()
    {
        var user = await _host.RegisterAsync();

        var created = await _host.SendAsync(new CreateOrganizationCommand("Acme"), user.UserId);

        var outbox = await _host.QueryDbAsync(db => db.OutboxMessages.AsNoTracking()
            .Where(m => m.Type == nameof(OrganizationCreated)).Select(m => m.Payload).ToListAsync());
        Assert.Contains(outbox, payload => payload.Contains(created.Value.OrganizationId.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Transaction_FailedCommand_LeavesNoTrace()
    {
        var user = await _host.RegisterAsync("taken@example.test");
        var outboxBefore = await _host.QueryDbAsync(db => db.OutboxMessages.CountAsync());

        var duplicate = await _host.SendAsync(new Monolith.Application.Accounts.Users.RegisterUser.RegisterUserCommand("taken@example.test", "another-password"));

        Assert.Equal("accounts.user.email_taken", duplicate.Error!.Code);
        Assert.Equal(outboxBefore, await _host.QueryDbAsync(db => db.OutboxMessages.CountAsync()));
        Assert.Equal(1, await _host.QueryDbAsync(db => db.Organizations.CountAsync(o => o.Memberships.Any(m => m.UserId == user.UserId))));
    }

    [Fact]
    public async Task Idempotency_SameKeyTwice_RunsOnceAndReplaysTheResult()
    {
        var user = await _host.RegisterAsync();
        var key = Guid.NewGuid().ToString();

        var first = await _host.SendAsync(new CreateOrganizationCommand("Acme", key), user.UserId);
        var second = await _host.SendAsync(new CreateOrganizationCommand("Acme", key), user.UserId);

        Assert.Equal(first.Value, second.Value);
        Assert.Equal(1, await _host.QueryDbAsync(db => db.Organizations.CountAsync(o => o.Name == "Acme" && o.Memberships.Any(m => m.UserId == user.UserId))));
    }

    [Fact]
    public async Task Idempotency_SameKeyDifferentPayload_IsRefusedWith422Kind()
    {
        var user = await _host.RegisterAsync();
        var key = Guid.NewGuid().ToString();
        await _host.SendAsync(new CreateOrganizationCommand("Acme", key), user.UserId);

        var other = await _host.SendAsync(new CreateOrganizationCommand("Globex", key), user.UserId);

        Assert.Equal("idempotency.key_reused", other.Error!.Code);
        Assert.Equal(ErrorKind.Rule, other.Error.Kind);
    }

    [Fact]
    public async Task Idempotency_SameKeyFromAnotherUser_IsIndependent()
    {
        var alice = await _host.RegisterAsync();
        var bob = await _host.RegisterAsync();
        var key = Guid.NewGuid().ToString();

        var a = await _host.SendAsync(new CreateOrganizationCommand("Acme", key), alice.UserId);
        var b = await _host.SendAsync(new CreateOrganizationCommand("Acme", key), bob.UserId);

        Assert.NotEqual(a.Value.OrganizationId, b.Value.OrganizationId);
    }

    [Fact]
    public async Task Concurrency_StaleExpectedVersion_IsRefusedAndNothingIsOverwritten()
    {
        var owner = await _host.RegisterAsync();
        var organizationId = owner.PersonalOrganizationId;
        var version = await _host.QueryDbAsync(db => db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Version).SingleAsync());

        var first = await _host.SendAsync(new RenameOrganizationCommand(organizationId, "First", version), owner.UserId);
        var stale = await _host.SendAsync(new RenameOrganizationCommand(organizationId, "Second", version), owner.UserId);

        Assert.True(first.IsSuccess);
        Assert.Equal("concurrency.conflict", stale.Error!.Code);
        Assert.Equal("First", await _host.QueryDbAsync(db => db.Organizations.Where(o => o.Id == organizationId).Select(o => o.Name).SingleAsync()));
    }

    private Task AddMemberAsync(Guid organizationId, Guid userId, OrganizationRole role) =>
        _host.QueryDbAsync(async db =>
        {
            var organization = await db.Organizations.SingleAsync(o => o.Id == organizationId);
            organization.AddMember(userId, role, DateTimeOffset.UtcNow);
            return await db.SaveChangesAsync();
        });
}

public sealed class PostgresPipelineTests(PostgresTestDatabase database) : PipelineTests<PostgresTestDatabase>(database)
{
    [Fact]
    public async Task Idempotency_ConcurrentSameKey_CreatesOneOrganization()
    {
        await using var host = new ApplicationHost(Database);
        var user = await host.RegisterAsync();
        var key = Guid.NewGuid().ToString();

        var results = await Task.WhenAll(Enumerable.Range(0, 8)
            .Select(_ => Task.Run(() => host.SendAsync(new CreateOrganizationCommand("Racing", key), user.UserId))));

        var succeeded = results.Where(r => r.IsSuccess).Select(r => r.Value.OrganizationId).Distinct().ToList();
        Assert.Single(succeeded);
        Assert.All(results.Where(r => r.IsFailure), r => Assert.Equal("idempotency.in_progress", r.Error!.Code));
        Assert.Equal(1, await host.QueryDbAsync(db => db.Organizations.CountAsync(o => o.Name == "Racing")));
    }
}

public sealed class SqlitePipelineTests(SqliteTestDatabase database) : PipelineTests<SqliteTestDatabase>(database);
