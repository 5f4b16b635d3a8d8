namespace Monolith.Domain.Common;

/// <summary>What went wrong, in a form that maps to HTTP in exactly one place (the Web layer).</summary>
public enum ErrorKind
{
    Validation,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    Rule,
    Upstream,
    NotConfigured,
}

/// <summary>An expected failure: a stable machine-readable <paramref name="Code"/> plus a message safe to show.</summary>
public sealed record Error(string Code, string Message, ErrorKind Kind)
{
    public IReadOnlyDictionary<string, string[]>? Details { get; init; }

    /// <summary>Extra members for the problem (e.g. the subscription a conflict is about); values are serialised as JSON.</summary>
    public IReadOnlyDictionary<string, object>? Extensions { get; init; }

    public static Error Validation(string code, string message) => new(code, message, ErrorKind.Validation);
    public static Error Unauthenticated(string code, string message) => new(code, message, ErrorKind.Unauthenticated);
    public static Error Forbidden(string code, string message) => new(code, message, ErrorKind.Forbidden);
    public static Error NotFound(string code, string message) => new(code, message, ErrorKind.NotFound);
    public static Error Conflict(string code, string message) => new(code, message, ErrorKind.Conflict);
    public static Error Rule(string code, string message) => new(code, message, ErrorKind.Rule);
    public static Error Upstream(string code, string message) => new(code, message, ErrorKind.Upstream);
    public static Error NotConfigured(string code, string message) => new(code, message, ErrorKind.NotConfigured);
}
