using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Monolith.Infrastructure.Persistence;

/// <summary>DateTimeOffset ⇄ UTC ticks (INTEGER), so SQLite can order and compare timestamps in SQL.</summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    value => value.UtcTicks,
    ticks => new DateTimeOffset(ticks, TimeSpan.Zero));
