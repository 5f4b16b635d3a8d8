using System.Net;
using System.Text;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Monolith.Web.Common;

/// <summary>
/// Section <c>ForwardedHeaders</c>: the reverse proxies (TLS terminators, load balancers) whose <c>Forwarded</c> /
/// <c>X-Forwarded-For|Proto|Host</c> headers the app believes. Empty (the default): no forwarded header is honoured.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Proxy addresses, e.g. <c>10.0.0.5</c> or <c>::1</c> (env <c>ForwardedHeaders__KnownProxies__0</c>).</summary>
    public List<string> KnownProxies { get; } = [];

    /// <summary>Proxy networks in CIDR notation, e.g. <c>10.0.0.0/8</c> (env <c>ForwardedHeaders__KnownNetworks__0</c>).</summary>
    public List<string> KnownNetworks { get; } = [];

    public bool Enabled => KnownProxies.Count > 0 || KnownNetworks.Count > 0;
}

internal sealed class ForwardedHeadersSettingsValidator : IValidateOptions<ForwardedHeadersSettings>
{
    public ValidateOptionsResult Validate(string? name, ForwardedHeadersSettings options)
    {
        var failures = new List<string>();
        for (var i = 0; i < options.KnownProxies.Count; i++)
        {
            if (!IPAddress.TryParse(options.KnownProxies[i]?.Trim(), out _))
            {
                failures.Add($"ForwardedHeaders:KnownProxies:{i} (env ForwardedHeaders__KnownProxies__{i}) must be an IP address, not '{options.KnownProxies[i]}'.");
            }
        }

        for (var i = 0; i < options.KnownNetworks.Count; i++)
        {
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i]?.Trim(), out _))
            {
                failures.Add($"ForwardedHeaders:KnownNetworks:{i} (env ForwardedHeaders__KnownNetworks__{i}) must be a network in CIDR notation such as 10.0.0.0/8, not '{options.KnownNetworks[i]}'.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// Forwarded headers from configured proxies only. ASP.NET Core's middleware does the trust walk (right to left, while
/// the sender is a known proxy); the RFC 7239 <c>Forwarded</c> header, which it does not read, is translated into the
/// <c>X-Forwarded-*</c> form first when a request carries no <c>X-Forwarded-*</c> header of its own.
/// </summary>
internal static class ForwardedHeadersSetup
{
    private const string XForwardedFor = "X-Forwarded-For";
    private const string XForwardedProto = "X-Forwarded-Proto";
    private const string XForwardedHost = "X-Forwarded-Host";

    public static IServiceCollection AddForwardedHeadersFromKnownProxies(this IServiceCollection services)
    {
        services.AddOptions<ForwardedHeadersSettings>()
            .BindConfiguration(ForwardedHeadersSettings.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ForwardedHeadersSettings>, ForwardedHeadersSettingsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            // Only what is configured: not even loopback by default (ASP.NET Core's defaults trust it).
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in settings.Value.KnownProxies)
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy.Trim()));
            }

            foreach (var network in settings.Value.KnownNetworks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Trim()));
            }

            // Walk back through every known proxy of a chain; the walk stops at the first sender that is not one.
            options.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>First in the pipeline. Without a known proxy configured nothing is registered: with empty lists ASP.NET Core would trust everyone.</summary>
    public static WebApplication UseForwardedHeadersFromKnownProxies(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<ForwardedHeadersSettings>>().Value.Enabled)
        {
            return app;
        }

        app.Use((context, next) =>
        {
            TranslateForwarded(context.Request.Headers);
            return next(context);
        });
        app.UseForwardedHeaders();
        return app;
    }

    internal static void TranslateForwarded(IHeaderDictionary headers)
    {
        if (StringValues.IsNullOrEmpty(headers["Forwarded"]) ||
            headers.ContainsKey(XForwardedFor) || headers.ContainsKey(XForwardedProto) || headers.ContainsKey(XForwardedHost))
        {
            return;
        }

        var elements = ParseForwarded(headers["Forwarded"]);
        // One value per hop, aligned by position: a parameter is forwarded only when every hop gave it.
        foreach (var (parameter, header) in new[] { ("for", XForwardedFor), ("proto", XForwardedProto), ("host", XForwardedHost) })
        {
            if (elements.Count > 0 && elements.All(e => e.ContainsKey(parameter)))
            {
                headers[header] = string.Join(", ", elements.Select(e => e[parameter]));
            }
        }
    }

    /// <summary>RFC 7239: hops separated by ',', pairs by ';', each <c>name=token</c> or <c>name="quoted \" string"</c>.</summary>
    internal static List<Dictionary<string, string>> ParseForwarded(StringValues values)
    {
        var elements = new List<Dictionary<string, string>>();
        foreach (var value in values)
        {
            if (string.IsNullOrEmpty(value))
            {
                continue;
            }

            var element = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var name = new StringBuilder();
            var text = new StringBuilder();
            var inValue = false;
            var quoted = false;
            for (var i = 0; i <= value.Length; i++)
            {
                var c = i < value.Length ? value[i] : ',';
                if (quoted)
                {
                    if (c == '\\' && i + 1 < value.Length)
                    {
                        text.Append(value[++i]);
                    }
                    else if (c == '"')
                    {
                        quoted = false;
                    }
                    else
                    {
                        text.Append(c);
                    }

                    continue;
                }

                if (c is ';' or ',')
                {
                    if (name.Length > 0)
                    {
                        element.TryAdd(name.ToString().Trim(), text.ToString().Trim());
                    }

                    name.Clear();
                    text.Clear();
                    inValue = false;
                    if (c == ',')
                    {
                        if (element.Count > 0)
                        {
                            elements.Add(element);
                        }

                        element = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                    }
                }
                else if (c == '=' && !inValue)
                {
                    inValue = true;
                }
                else if (c == '"' && inValue && text.ToString().Trim().Length == 0)
                {
                    quoted = true;
                }
                else
                {
                    (inValue ? text : name).Append(c);
                }
            }
        }

        return elements;
    }
}
