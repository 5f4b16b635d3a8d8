using Monolith.Domain.Accounts.Organizations;
using Monolith.Domain.Common;

namespace Monolith.Domain.Tests.Common;

public sealed class DisplayNameTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("Acme\u0000Corp")]
    [InlineData("Acme\nCorp")]
    [InlineData("Acme\tCorp")]
    [InlineData("Acme\u001BCorp")]
    [InlineData("Acme\u007FCorp")]
    [InlineData("Acme\u0085Corp")]
    [InlineData("invoice\u202Efdp.exe")]
    [InlineData("\u202AAcme")]
    [InlineData("Acme\u202D")]
    [InlineData("Acme\u2066x\u2069")]
    [InlineData("Acme\u200F")]
    [InlineData("Acme\u061C")]
    public void Create_WithControlOrBidiCharacters_IsRefusedWithItsCode(string name)
    {
        var created = Organization.Create(Guid.NewGuid(), name, Guid.NewGuid(), isPersonal: false, T0);

        Assert.Equal(DisplayName.InvalidCharacters, created.Error);
        Assert.Equal(ErrorKind.Validation, created.Error!.Kind);
    }

    [Theory]
    [InlineData("Acme GmbH & Co. KG")]
    [InlineData("Ødegaard Ærø")]
    [InlineData("شركة عربية")]
    [InlineData("עברית בע\"מ")]
    [InlineData("日本の会社")]
    [InlineData("Team 🚀 Rocket")]
    [InlineData("Family 👨‍👩‍👧")]
    public void Create_WithOrdinaryNamesInAnyScript_IsAccepted(string name)
    {
        var created = Organization.Create(Guid.NewGuid(), name, Guid.NewGuid(), isPersonal: false, T0);

        Assert.True(created.IsSuccess);
        Assert.Equal(name, created.Value.Name);
    }

    [Fact]
    public void Rename_WithABidiOverride_IsRefusedAndKeepsTheName()
    {
        var organization = Organization.Create(Guid.NewGuid(), "Acme", Guid.NewGuid(), isPersonal: false, T0).Value;
        var renamed = organization.Rename("Acme\u202E", T0);

        Assert.Equal(DisplayName.InvalidCharacters, renamed.Error);
        Assert.Equal("Acme", organization.Name);
    }

    [Fact]
    public void Create_WithALoneSurrogate_IsRefused()
    {
        // Built here rather than in theory data: test-case serialisation would turn a lone surrogate into U+FFFD.
        foreach (var name in new[] { "Acme" + '\uD800', '\uDC00' + "Acme" })
        {
            Assert.Equal(DisplayName.InvalidCharacters, Organization.Create(Guid.NewGuid(), name, Guid.NewGuid(), isPersonal: false, T0).Error);
        }
    }

    [Fact]
    public void Clean_RemovesOnlyTheRefusedCharacters()
    {
        Assert.Equal("evilexe.pdf", DisplayName.Clean("evil\u202Eexe.pdf\u0000"));
        Assert.Equal("Team 🚀", DisplayName.Clean("Team 🚀"));
    }
}
