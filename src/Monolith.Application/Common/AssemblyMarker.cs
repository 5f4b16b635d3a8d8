namespace Monolith.Application.Common;

/// <summary>Anchors assembly scanning (Scrutor) to the Application assembly.</summary>
public static class ApplicationAssembly
{
    public static System.Reflection.Assembly Reference => typeof(ApplicationAssembly).Assembly;
}
