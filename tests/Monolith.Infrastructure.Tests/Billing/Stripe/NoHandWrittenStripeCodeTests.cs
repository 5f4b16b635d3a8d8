using System.Text.RegularExpressions;
using Monolith.TestSupport;

namespace Monolith.Infrastructure.Tests.Billing.Stripe;

/// <summary>
/// Stripe is reached only through Stripe.net (issue #12): a grep over every source file under <c>src/</c> fails when
/// Stripe's API host is written down (the SDK's default is used), when <c>Stripe-Signature</c> appears outside the
/// one place that reads the header and hands it to Stripe.net, or when an HMAC is computed anywhere but the
/// simulator's own signer (which signs <c>Simulator-Signature</c>, not Stripe's header).
/// </summary>
public sealed partial class NoHandWrittenStripeCodeTests
{
    private static readonly string[] SourceExtensions = [".cs", ".cshtml", ".json", ".csproj", ".props", ".targets", ".js", ".sh"];

    private static readonly string SignatureReader = Normalize("src/Monolith.Infrastructure/Billing/Payments/Stripe/StripeWebhookSignature.cs");

    private static readonly string SimulatorSigner = Normalize("src/Monolith.Infrastructure/Billing/Payments/InMemory/SimulatorWebhookSigner.cs");

    [Fact]
    public void Source_NamesNoStripeApiHost()
    {
        var offenders = Sources().Where(f => f.Text.Contains("api.stripe.com", StringComparison.OrdinalIgnoreCase)).Select(f => f.Path).ToList();

        Assert.True(offenders.Count == 0, "Stripe's API host written in: " + string.Join(", ", offenders));
    }

    [Fact]
    public void StripeSignatureHeader_AppearsOnlyWhereTheHeaderIsReadForStripeNet()
    {
        var files = Sources().Where(f => f.Text.Contains("Stripe-Signature", StringComparison.OrdinalIgnoreCase)).Select(f => f.Path).ToList();

        Assert.Equal([SignatureReader], files);
        var reader = Sources().Single(f => f.Path == SignatureReader).Text;
        Assert.Contains("EventUtility.ValidateSignature(", reader, StringComparison.Ordinal);
        Assert.DoesNotMatch(HmacUse(), reader);
    }

    [Fact]
    public void Hmac_IsComputedOnlyByTheSimulatorsOwnSigner()
    {
        var files = Sources().Where(f => HmacUse().IsMatch(f.Text)).Select(f => f.Path).ToList();

        Assert.Equal([SimulatorSigner], files);
        Assert.DoesNotContain("Stripe-Signature", Sources().Single(f => f.Path == SimulatorSigner).Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Guard_SeesTheSourceTreeAndCatchesWhatItLooksFor()
    {
        var sources = Sources();

        Assert.True(sources.Count > 100, $"only {sources.Count} source files found under src/");
        Assert.Contains(sources, f => f.Path == SimulatorSigner);
        Assert.Matches(HmacUse(), "using var h = new HMACSHA256(key);");
        Assert.Matches(HmacUse(), "HMACSHA256.HashData(key, data)");
        Assert.Matches(HmacUse(), "IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key)");
        Assert.DoesNotMatch(HmacUse(), "SHA256.HashData(bytes)");
    }

    /// <summary>Every text source under <c>src/</c>, outside build output, with its path relative to the repository.</summary>
    private static List<(string Path, string Text)> Sources()
    {
        var root = RepositoryRoot.FullName;
        return Directory.EnumerateFiles(Path.Combine(root, "src"), "*", SearchOption.AllDirectories)
            .Select(f => (Full: f, Relative: Normalize(Path.GetRelativePath(root, f))))
            .Where(f => SourceExtensions.Contains(Path.GetExtension(f.Full), StringComparer.OrdinalIgnoreCase))
            .Where(f => !f.Relative.Contains("/bin/", StringComparison.Ordinal) && !f.Relative.Contains("/obj/", StringComparison.Ordinal))
            .Select(f => (f.Relative, File.ReadAllText(f.Full)))
            .ToList();
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    /// <summary>Any .NET HMAC: the HMAC classes (HMACSHA256, HMACSHA1, …, their HashData) or IncrementalHash.CreateHMAC.</summary>
    [GeneratedRegex(@"\bHMAC(SHA\d+|MD5)\b|\bCreateHMAC\b|\bKeyedHashAlgorithm\b")]
    private static partial Regex HmacUse();
}
