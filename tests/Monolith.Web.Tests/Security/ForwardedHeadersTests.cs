using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Monolith.TestSupport;
using Monolith.Web.Common;

namespace Monolith.Web.Tests.Security;

/// <summary>
/// Production behind a TLS-terminating proxy: forwarded headers count only from the configured proxies and networks,
/// and a page with a form still renders over plain http (it used to answer 500 from the antiforgery cookie policy).
/// </summary>
public sealed class ForwardedHeadersTests : IAsyncLifetime
{
    private const string KnownProxy = "10.0.0.5";
    private const string InKnownNetwork = "192.168.10.7";
    private const string Stranger = "10.9.9.9";

    private readonly PostgresTestDatabase _database = new();
    private MonolithWebFactory _behindProxy = null!;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _behindProxy = new MonolithWebFactory(_database, "Production", new Dictionary<string, string?>
        {
            ["https_port"] = "443",
            ["ForwardedHeaders:KnownProxies:0"] = KnownProxy,
            ["ForwardedHeaders:KnownNetworks:0"] = "192.168.10.0/24",
        });
    }

    public async Task DisposeAsync()
    {
        await _behindProxy.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/register")]
    [InlineData("/pricing")]
    public async Task Production_PageWithAFormOverPlainHttp_RendersAndItsCookiesStaySecure(string path)
    {
        await using var factory = new MonolithWebFactory(_database, "Production");
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://monolith.test"), AllowAutoRedirect = false });

        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (path.StartsWith("/account", StringComparison.Ordinal))
        {
            var csrf = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("monolith.csrf=", StringComparison.Ordinal));
            Assert.Contains("secure", csrf.Split(';', StringSplitOptions.TrimEntries).Select(a => a.ToLowerInvariant()));
        }
    }

    [Fact]
    public async Task XForwardedProtoHttps_FromAKnownProxy_IsHonoured()
    {
        var response = await GetAsync(KnownProxy, ("X-Forwarded-Proto", "https"));

        Assert.Equal(StatusCodes.Status200OK, response.StatusCode);
        Assert.True(response.Headers.ContainsKey("Strict-Transport-Security"), "HSTS is sent on https requests only");
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnUnknownAddress_AreIgnored()
    {
        var proto = await GetAsync(Stranger, ("X-Forwarded-Proto", "https"), ("X-Forwarded-Host", "evil.example"));
        var rfc = await GetAsync(Stranger, ("Forwarded", "for=203.0.113.9;proto=https;host=evil.example"));

        Assert.Equal(StatusCodes.Status307TemporaryRedirect, proto.StatusCode);
        Assert.Equal("https://app.example/account/login", proto.Headers.Location.ToString());
        Assert.Equal(StatusCodes.Status307TemporaryRedirect, rfc.StatusCode);
        Assert.Equal("https://app.example/account/login", rfc.Headers.Location.ToString());
    }

    [Fact]
    public async Task ForwardedRfc7239_FromAKnownNetwork_IsHonoured()
    {
        var secure = await GetAsync(InKnownNetwork, ("Forwarded", "for=\"[2001:db8:cafe::17]:4711\";proto=https;host=\"shop.example\""));
        var plain = await GetAsync(InKnownNetwork, ("Forwarded", "for=203.0.113.9;proto=http;host=shop.example"));

        Assert.Equal(StatusCodes.Status200OK, secure.StatusCode);
        Assert.True(secure.Headers.ContainsKey("Strict-Transport-Security"));
        Assert.Equal(StatusCodes.Status307TemporaryRedirect, plain.StatusCode);
        Assert.Equal("https://shop.example/account/login", plain.Headers.Location.ToString());
    }

    [Fact]
    public async Task XForwardedHost_FromAKnownProxy_IsTheHostTheAppSees()
    {
        var response = await GetAsync(KnownProxy, ("X-Forwarded-Host", "shop.example"), ("X-Forwarded-For", "203.0.113.9"));

        Assert.Equal(StatusCodes.Status307TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://shop.example/account/login", response.Headers.Location.ToString());
    }

    [Theory]
    [InlineData("for=192.0.2.60;proto=https;by=203.0.113.43", "192.0.2.60", "https", null)]
    [InlineData("For=\"[2001:db8:cafe::17]:4711\";Proto=https, for=198.51.100.17;proto=http", "[2001:db8:cafe::17]:4711, 198.51.100.17", "https, http", null)]
    [InlineData("for=192.0.2.43, for=198.51.100.17;proto=https;host=a.example", "192.0.2.43, 198.51.100.17", null, null)]
    [InlineData("host=\"a.example\";proto=https", null, "https", "a.example")]
    public void TranslateForwarded_GivesOneAlignedValuePerHop(string forwarded, string? forValue, string? proto, string? host)
    {
        var headers = new HeaderDictionary { ["Forwarded"] = forwarded };

        ForwardedHeadersSetup.TranslateForwarded(headers);

        Assert.Equal(forValue, headers.TryGetValue("X-Forwarded-For", out var f) ? f.ToString() : null);
        Assert.Equal(proto, headers.TryGetValue("X-Forwarded-Proto", out var p) ? p.ToString() : null);
        Assert.Equal(host, headers.TryGetValue("X-Forwarded-Host", out var h) ? h.ToString() : null);
    }

    [Fact]
    public void TranslateForwarded_WhenTheProxySentXForwardedHeaders_LeavesThemAlone()
    {
        var headers = new HeaderDictionary { ["Forwarded"] = "proto=https", ["X-Forwarded-For"] = "203.0.113.9" };

        ForwardedHeadersSetup.TranslateForwarded(headers);

        Assert.False(headers.ContainsKey("X-Forwarded-Proto"));
    }

    [Fact]
    public void Settings_NotAnAddressOrNetwork_FailNamingTheSetting()
    {
        var settings = new ForwardedHeadersSettings();
        settings.KnownProxies.Add("proxy.internal");
        settings.KnownNetworks.Add("10.0.0.0/8");
        settings.KnownNetworks.Add("10.0.0.0/99");

        var result = new ForwardedHeadersSettingsValidator().Validate(null, settings);

        Assert.Equal(2, result.Failures!.Count());
        Assert.Contains(result.Failures!, f => f.StartsWith("ForwardedHeaders:KnownProxies:0 (env ForwardedHeaders__KnownProxies__0)", StringComparison.Ordinal));
        Assert.Contains(result.Failures!, f => f.StartsWith("ForwardedHeaders:KnownNetworks:1 (env ForwardedHeaders__KnownNetworks__1)", StringComparison.Ordinal));
    }

    private async Task<HttpResponse> GetAsync(string remoteAddress, params (string Name, string Value)[] headers) =>
        (await _behindProxy.Server.SendAsync(context =>
        {
            context.Request.Method = HttpMethods.Get;
            context.Request.Scheme = "http";
            context.Request.Host = new HostString("app.example");
            context.Request.Path = "/account/login";
            context.Connection.RemoteIpAddress = IPAddress.Parse(remoteAddress);
            foreach (var (name, value) in headers)
            {
                context.Request.Headers[name] = value;
            }
        })).Response;
}
