using System.Text;
using Monolith.Application.Billing.Payments;
using Monolith.Infrastructure.Billing.Payments.InMemory;

namespace Monolith.Infrastructure.Tests.Billing.Simulator;

public sealed class SimulatorWebhookSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"evt_1","type":"unknown.type","created":1,"data":{"occurred_at":"2026-03-01T12:00:00+00:00","object":{}}}""");

    private readonly SimulatorWebhookSigner _signer = new(SimulatorHarness.Secret);

    [Fact]
    public void Verify_GoodSignature_Accepts() =>
        Assert.True(_signer.Verify(Body, _signer.Sign(Body, Now), Now.AddSeconds(30)));

    [Fact]
    public void Verify_TamperedBody_Rejects()
    {
        var header = _signer.Sign(Body, Now);
        var tampered = (byte[])Body.Clone();
        tampered[^3] = (byte)'x';
        Assert.False(_signer.Verify(tampered, header, Now));
    }

    [Fact]
    public void Verify_WrongSecret_Rejects() =>
        Assert.False(new SimulatorWebhookSigner("another_secret_of_enough_length").Verify(Body, _signer.Sign(Body, Now), Now));

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    public void Verify_TimestampOutsideTolerance_Rejects(int skewSeconds) =>
        Assert.False(_signer.Verify(Body, _signer.Sign(Body, Now), Now.AddSeconds(skewSeconds)));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("t=abc,v1=00")]
    [InlineData("v1=0000000000000000000000000000000000000000000000000000000000000000")]
    public void Verify_MissingOrMalformedHeader_Rejects(string? header) =>
        Assert.False(_signer.Verify(Body, header, Now));

    [Fact]
    public void Verify_RandomPerProcessSecret_DiffersBetweenInstances()
    {
        var a = new SimulatorWebhookSigner(null);
        Assert.False(new SimulatorWebhookSigner(null).Verify(Body, a.Sign(Body, Now), Now));
    }

    [Fact]
    public async Task ParseWebhook_MissingHeader_IsSignatureInvalid()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var result = sim.Port.ParseWebhook(Body, new Dictionary<string, string>(), DateTimeOffset.UtcNow);
        Assert.Equal(PaymentsErrors.SignatureInvalid, result.Error);
    }

    [Fact]
    public async Task ParseWebhook_TamperedBody_IsSignatureInvalidBeforeParsing()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var signer = new SimulatorWebhookSigner(SimulatorHarness.Secret);
        var headers = new Dictionary<string, string> { ["simulator-signature"] = signer.Sign(Body, DateTimeOffset.UtcNow) };
        var result = sim.Port.ParseWebhook("not json"u8, headers, DateTimeOffset.UtcNow);
        Assert.Equal(PaymentsErrors.SignatureInvalid, result.Error);
    }

    [Fact]
    public async Task ParseWebhook_UnknownTypeWithGoodSignature_HasNoEvents()
    {
        await using var sim = await SimulatorHarness.StartAsync();
        var signer = new SimulatorWebhookSigner(SimulatorHarness.Secret);
        var headers = new Dictionary<string, string> { [SimulatorWebhookSigner.HeaderName] = signer.Sign(Body, DateTimeOffset.UtcNow) };
        var result = sim.Port.ParseWebhook(Body, headers, DateTimeOffset.UtcNow);
        Assert.True(result.IsSuccess);
        Assert.Equal("evt_1", result.Value.EventId);
        Assert.Empty(result.Value.Events!);
    }
}
