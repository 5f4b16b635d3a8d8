using Monolith.Domain.Accounts.Organizations;

namespace Monolith.Domain.Tests.Accounts;

public sealed class OrganizationTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_WithName_MakesCreatorOwnerAndRaisesEvent()
    {
        var owner = Guid.NewGuid();

        var organization = Organization.Create(Guid.NewGuid(), "  Acme  ", owner, isPersonal: false, Now).Value;

        Assert.Equal("Acme", organization.Name);
        Assert.Equal(OrganizationRole.Owner, organization.RoleOf(owner));
        var created = Assert.IsType<OrganizationCreated>(Assert.Single(organization.DomainEvents));
        Assert.Equal(owner, created.OwnerUserId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Create_WithBlankName_FailsWithNameRequired(string name)
    {
        var result = Organization.Create(Guid.NewGuid(), name, Guid.NewGuid(), isPersonal: true, Now);

        Assert.Equal(OrganizationErrors.NameRequired, result.Error);
    }

    [Fact]
    public void Create_WithOverlongName_FailsWithNameTooLong()
    {
        var result = Organization.Create(Guid.NewGuid(), new string('x', 101), Guid.NewGuid(), isPersonal: true, Now);

        Assert.Equal("accounts.organization.name_too_long", result.Error!.Code);
    }

    [Fact]
    public void AddMember_Twice_FailsWithConflict()
    {
        var organization = Organization.Create(Guid.NewGuid(), "Acme", Guid.NewGuid(), false, Now).Value;
        var user = Guid.NewGuid();

        Assert.True(organization.AddMember(user, OrganizationRole.Member, Now).IsSuccess);
        var second = organization.AddMember(user, OrganizationRole.Admin, Now);

        Assert.Equal(OrganizationErrors.AlreadyMember, second.Error);
        Assert.Equal(OrganizationRole.Member, organization.RoleOf(user));
    }

    [Fact]
    public void ChangeRole_OfLastOwner_IsRefused()
    {
        var owner = Guid.NewGuid();
        var organization = Organization.Create(Guid.NewGuid(), "Acme", owner, false, Now).Value;

        var result = organization.ChangeRole(owner, OrganizationRole.Member, Now);

        Assert.Equal(OrganizationErrors.LastOwner, result.Error);
        Assert.Equal(OrganizationRole.Owner, organization.RoleOf(owner));
    }

    [Fact]
    public void ChangeRole_OfOneOfTwoOwners_RaisesEvent()
    {
        var owner = Guid.NewGuid();
        var second = Guid.NewGuid();
        var organization = Organization.Create(Guid.NewGuid(), "Acme", owner, false, Now).Value;
        organization.AddMember(second, OrganizationRole.Owner, Now);

        var result = organization.ChangeRole(owner, OrganizationRole.Admin, Now);

        Assert.True(result.IsSuccess);
        Assert.IsType<MemberRoleChanged>(organization.DomainEvents[^1]);
    }
}
