using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Monolith.TestSupport;
using Monolith.Web.Tests.Common;

namespace Monolith.Web.Tests.Accounts;

/// <summary>Registering an email that already has an account answers exactly like a new registration; the owner gets an email.</summary>
public sealed class RegistrationEnumerationTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly string _mail = Directory.CreateTempSubdirectory("monolith-register-mail-").FullName;
    private MonolithWebFactory _factory = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _factory = new MonolithWebFactory(_database, settings: new Dictionary<string, string?> { ["Email:Pickup:Directory"] = _mail });
        _ = _factory.Server;
    }

    [Fact]
    public async Task Register_AnEmailThatHasAnAccount_AnswersLikeANewOneSignsNobodyInAndEmailsTheOwner()
    {
        var email = $"owner-{Guid.NewGuid():N}@example.test";
        var fresh = await RegisterAsync(email, "first-password-1");
        var again = await RegisterAsync(email.ToUpperInvariant(), "another-password-2");
        var other = await RegisterAsync($"new-{Guid.NewGuid():N}@example.test", "third-password-3");

        Assert.Equal((HttpStatusCode.Redirect, "/"), (fresh.Response.StatusCode, fresh.Response.Headers.Location?.OriginalString));
        Assert.Equal((fresh.Response.StatusCode, fresh.Response.Headers.Location), (again.Response.StatusCode, again.Response.Headers.Location));
        Assert.Equal((other.Response.StatusCode, other.Response.Headers.Location), (again.Response.StatusCode, again.Response.Headers.Location));
        Assert.Equal(await fresh.Response.Content.ReadAsStringAsync(), await again.Response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await again.Client.GetAsync("/api/organizations")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.Client.GetAsync("/api/organizations")).StatusCode);

        var notices = Directory.GetFiles(_mail, "registration-attempt-*.json").Select(File.ReadAllText).ToList();
        var notice = Assert.Single(notices);
        Assert.Contains(email, notice, StringComparison.Ordinal);
        Assert.Contains("Someone tried to create an account with your email", notice, StringComparison.Ordinal);

        // The first password still signs in; the second one changed nothing.
        var signIn = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await HttpForms.SignInAsync(signIn, email, "first-password-1");
        var wrong = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        await Assert.ThrowsAsync<InvalidOperationException>(() => HttpForms.SignInAsync(wrong, email, "another-password-2"));
    }

    private async Task<(HttpClient Client, HttpResponseMessage Response)> RegisterAsync(string email, string password)
    {
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await HttpForms.SubmitAsync(client, "/account/register", new()
        {
            ["Input.Email"] = email, ["Input.Password"] = password, ["Input.ConfirmPassword"] = password,
        });
        return (client, response);
    }

    public async Task DisposeAsync()
    {
        await _factory.DisposeAsync();
        await _database.DisposeAsync();
        Directory.Delete(_mail, recursive: true);
    }
}
