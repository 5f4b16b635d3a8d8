using MediatR;
using Monolith.Application.Common;
using Monolith.Application.Common.Messaging;

namespace Monolith.Application.Tests.Common;

/// <summary>Every use case must say who may send it, so none is open by accident.</summary>
public sealed class RequestAccessTests
{
    private static readonly Type[] AccessRules =
    [
        typeof(IAnonymousRequest), typeof(IAuthenticatedRequest), typeof(IOrganizationRequest), typeof(IOpsRequest), typeof(ISystemRequest),
    ];

    public static TheoryData<Type> Requests()
    {
        var data = new TheoryData<Type>();
        foreach (var type in ApplicationAssembly.Reference.GetTypes()
                     .Where(t => t is { IsAbstract: false, IsInterface: false } &&
                                 t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IRequest<>))))
        {
            data.Add(type);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Requests))]
    public void Request_DeclaresExactlyOneAccessRule(Type request)
    {
        var declared = AccessRules.Where(rule => rule.IsAssignableFrom(request)).ToList();

        Assert.Single(declared);
    }

    [Fact]
    public void Requests_AreFound()
    {
        Assert.True(Requests().Count >= 5);
    }
}
