namespace Monolith.TestSupport;

/// <summary>The folder holding <c>Monolith.sln</c>, found above the test binaries.</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Monolith.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Monolith.sln not found above " + AppContext.BaseDirectory);
    });

    public static string FullName => Root.Value;
}
