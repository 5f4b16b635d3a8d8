namespace Monolith.Domain.Common;

/// <summary>A fact that happened inside an aggregate. Past tense, values only (never entities).</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
