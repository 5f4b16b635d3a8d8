namespace Monolith.Application.Ops.Common;

/// <summary>One page of an ops list (pages are 1-based; <see cref="Size"/> rows at most).</summary>
public sealed record OpsPage<T>(IReadOnlyList<T> Items, int Page, int Size, int Total)
{
    public const int DefaultSize = 50;

    public int Pages => Total == 0 ? 1 : (Total + Size - 1) / Size;
    public bool HasPrevious => Page > 1;
    public bool HasNext => Page < Pages;

    /// <summary>Rows to skip for a 1-based <paramref name="page"/> (clamped to 1).</summary>
    public static int Skip(int page, int size) => (Math.Max(page, 1) - 1) * size;
}
