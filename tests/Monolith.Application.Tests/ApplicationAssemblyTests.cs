using Monolith.Application.Common;

namespace Monolith.Application.Tests;

public sealed class ApplicationAssemblyTests
{
    [Fact]
    public void Reference_IsTheApplicationAssembly()
    {
        Assert.Equal("Monolith.Application", ApplicationAssembly.Reference.GetName().Name);
    }
}
