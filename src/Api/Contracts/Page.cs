namespace UFBrowsers.Api.Contracts;

/// <summary>A page of a list, newest first; pass <see cref="NextCursor"/> as <c>cursor</c> for the next one.</summary>
public sealed record Page<T>(IReadOnlyList<T> Data, string? NextCursor);
