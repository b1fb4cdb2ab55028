using UFBrowsers.Grains.Profiles;

namespace UFBrowsers.Grains.Tests.Infrastructure;

/// <summary>Profile states are equal when they serialize alike (records holding lists do not compare their items).</summary>
public sealed class ProfileStateComparer : IEqualityComparer<ProfileState>
{
    public static readonly ProfileStateComparer Instance = new();

    public bool Equals(ProfileState? x, ProfileState? y) =>
        x is null || y is null ? x is null && y is null : x.Serialize().AsSpan().SequenceEqual(y.Serialize());

    public int GetHashCode(ProfileState obj) => obj.Cookies.Count ^ obj.Origins.Count;
}
