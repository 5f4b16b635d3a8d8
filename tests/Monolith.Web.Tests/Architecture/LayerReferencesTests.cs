using System.Reflection;
using System.Xml.Linq;

namespace Monolith.Web.Tests.Architecture;

/// <summary>The layer rule, checked on both the compiled assemblies and the project files.</summary>
public sealed class LayerReferencesTests
{
    private static readonly string[] Layers =
    [
        "Monolith.Domain", "Monolith.Application", "Monolith.Infrastructure",
        "Monolith.Infrastructure.Migrations.Postgres", "Monolith.Infrastructure.Migrations.Sqlite", "Monolith.Web",
    ];

    public static TheoryData<string, string[]> Allowed => new()
    {
        { "Monolith.Domain", [] },
        { "Monolith.Application", ["Monolith.Domain"] },
        { "Monolith.Infrastructure", ["Monolith.Application", "Monolith.Domain"] },
        // A provider's migrations (docs/adr/0003-ef-core-migrations.md) see the model through Infrastructure, nothing above it.
        { "Monolith.Infrastructure.Migrations.Postgres", ["Monolith.Infrastructure", "Monolith.Application", "Monolith.Domain"] },
        { "Monolith.Infrastructure.Migrations.Sqlite", ["Monolith.Infrastructure", "Monolith.Application", "Monolith.Domain"] },
        { "Monolith.Web", ["Monolith.Application", "Monolith.Domain", "Monolith.Infrastructure",
            "Monolith.Infrastructure.Migrations.Postgres", "Monolith.Infrastructure.Migrations.Sqlite"] },
    };

    [Theory]
    [MemberData(nameof(Allowed))]
    public void Assembly_ReferencesOnlyAllowedLayers(string layer, string[] allowed)
    {
        var referenced = Assembly.Load(layer).GetReferencedAssemblies()
            .Select(a => a.Name!)
            .Where(name => Layers.Contains(name))
            .ToList();

        Assert.Empty(referenced.Except(allowed));
    }

    [Theory]
    [MemberData(nameof(Allowed))]
    public void ProjectFile_ReferencesOnlyAllowedLayers(string layer, string[] allowed)
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", layer, $"{layer}.csproj"));
        var references = project.Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();

        Assert.Empty(references.Except(allowed));
    }

    [Fact]
    public void Domain_HasNoPackageReferences()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot(), "src", "Monolith.Domain", "Monolith.Domain.csproj"));

        Assert.Empty(project.Descendants("PackageReference"));
        Assert.Empty(project.Descendants("FrameworkReference"));
    }

    [Fact]
    public void Application_DoesNotDependOnAspNetCore()
    {
        var references = Assembly.Load("Monolith.Application").GetReferencedAssemblies().Select(a => a.Name!);

        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Monolith.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Monolith.sln not found above the test output folder.");
    }
}
