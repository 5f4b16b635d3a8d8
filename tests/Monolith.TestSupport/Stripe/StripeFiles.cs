using System.Text.Json;
using System.Text.Json.Nodes;

namespace Monolith.TestSupport.Stripe;

/// <summary>The official Stripe reference data in <c>../shared/stripe</c>, next to the repository root.</summary>
public static class StripeFiles
{
    private static readonly Lazy<string> Root = new(() => Path.Combine(RepositoryRoot.FullName, "..", "shared", "stripe"));

    private static readonly Lazy<JsonNode> Fixtures = new(() => JsonNode.Parse(File.ReadAllText(PathOf("fixtures3-2026-08-21.json")))!);

    public static string PathOf(string file) => Path.Combine(Root.Value, file);

    public static JsonDocument Load(string file) => JsonDocument.Parse(File.ReadAllBytes(PathOf(file)));

    /// <summary>A fresh copy of <c>resources[name]</c> from the 2026-08-21 fixtures.</summary>
    public static JsonObject Fixture(string name) => Fixtures.Value["resources"]![name]!.AsObject().DeepClone().AsObject();

    /// <summary>A Stripe event envelope around <paramref name="obj"/> (see <see cref="StripeEvents.Envelope"/>).</summary>
    public static byte[] Event(string type, JsonObject obj, string id = "evt_test_1", long created = 1767225600, string apiVersion = StripeEvents.ApiVersion) =>
        StripeEvents.Envelope(type, obj, id, created, apiVersion);
}
