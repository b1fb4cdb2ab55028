using System.Collections;
using System.Reflection;
using UFBrowsers.Api.Gateway;
using UFBrowsers.Grains.Pods;
using UFBrowsers.Silo.Hosting;

namespace UFBrowsers.Kubernetes.Tests.Infrastructure;

/// <summary>
/// Every options class of the product (a class with a <c>Section</c> or <c>SectionName</c> constant under <c>UFBrowsers</c>),
/// found by reflection, and whether a configuration key reaches one of its properties as the configuration binder
/// would bind it (case-insensitive names, any dictionary key, numeric list indexes).
/// </summary>
public static class OptionsCatalog
{
    private static readonly Assembly[] ProductAssemblies =
    [
        typeof(SiloOptions).Assembly,
        typeof(PodPoolOptions).Assembly,
        typeof(GatewayOptions).Assembly,
    ];

    public static IReadOnlyDictionary<string, Type> Sections { get; } = ProductAssemblies
        .SelectMany(a => a.GetTypes())
        .Select(t => (Type: t, Section: t.GetField("Section", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string
                                     ?? t.GetField("SectionName", BindingFlags.Public | BindingFlags.Static)?.GetRawConstantValue() as string))
        .Where(s => s.Section?.StartsWith("UFBrowsers", StringComparison.Ordinal) == true)
        .ToDictionary(s => s.Section!, s => s.Type, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Null when some option reads <paramref name="key"/> (<c>A:B:C</c>); else why not. An empty <paramref name="value"/>
    /// may name a whole list or object (the JSON provider's key for <c>[]</c> or <c>{}</c>).
    /// </summary>
    public static string? WhyUnbound(string key, string? value = "x")
    {
        var section = Sections.Keys
            .Where(s => key.StartsWith(s + ":", StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(s => s.Length)
            .FirstOrDefault();
        if (section is null)
        {
            return $"{key}: no options class reads section {string.Join(':', key.Split(':').Take(2))}";
        }

        var type = Sections[section];
        var rest = key[(section.Length + 1)..].Split(':');
        for (var i = 0; i < rest.Length; i++)
        {
            if (Element(type, typeof(IDictionary<,>), 1) is { } entry && Element(type, typeof(IDictionary<,>), 0) == typeof(string))
            {
                type = entry;
                continue;
            }

            if (type != typeof(string) && Element(type, typeof(IEnumerable<>), 0) is { } item)
            {
                if (!int.TryParse(rest[i], out _))
                {
                    return $"{key}: '{rest[i]}' is not an index of a list";
                }

                type = item;
                continue;
            }

            var property = type.GetProperty(rest[i], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is null || property.SetMethod is null && !IsCollection(property.PropertyType))
            {
                return $"{key}: {type.Name} has no settable property '{rest[i]}' (read by {Sections[section].Name} under {section})";
            }

            type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        }

        return IsScalar(type) || string.IsNullOrEmpty(value) ? null : $"{key}: names a {type.Name}, not a single setting";
    }

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(TimeSpan)
        || type == typeof(DateTimeOffset) || type == typeof(Uri) || type == typeof(Guid);

    private static bool IsCollection(Type type) => type != typeof(string) && typeof(IEnumerable).IsAssignableFrom(type);

    private static Type? Element(Type type, Type generic, int argument) =>
        (type.IsGenericType && type.GetGenericTypeDefinition() == generic ? type : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == generic))
            ?.GetGenericArguments()[argument];
}
