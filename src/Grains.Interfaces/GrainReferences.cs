namespace UFBrowsers;

/// <summary>
/// References to string-keyed grains without Orleans' per-call interface lookup: <c>GetGrain&lt;T&gt;(key)</c> resolves the
/// interface's <see cref="GrainInterfaceType"/> by reflecting over its attributes on every call (in 10.4.2 about 8% of the
/// control plane's CPU in a profile). The grain type and interface type of <typeparamref name="T"/> are resolved once,
/// from the first reference made the ordinary way, and every later reference is made from a <see cref="GrainId"/>.
/// </summary>
public static class GrainReferences
{
    public static T For<T>(this IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        var types = Types<T>.Resolved ??= Resolve<T>(grains, key);
        return (T)grains.GetGrain(GrainId.Create(types.GrainType, key), types.InterfaceType);
    }

    private static GrainTypes Resolve<T>(IGrainFactory grains, string key) where T : IGrainWithStringKey
    {
        var reference = (GrainReference)(object)grains.GetGrain<T>(key);
        return new GrainTypes(reference.GrainId.Type, reference.InterfaceType);
    }

    private sealed record GrainTypes(GrainType GrainType, GrainInterfaceType InterfaceType);

    private static class Types<T>
    {
        public static GrainTypes? Resolved;
    }
}
