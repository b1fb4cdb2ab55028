using System.Reflection;
using System.Text.RegularExpressions;

namespace UFBrowsers.Silo.Persistence;

/// <summary>
/// One schema migration: an embedded <c>Persistence/Migrations/NNNN_name.sql</c> file.
/// Adding a migration is adding such a file with the next number.
/// </summary>
public sealed partial record PostgresMigration(int Version, string Name, string Sql)
{
    internal const string ResourcePrefix = "UFBrowsers.Silo.Persistence.Migrations.";

    /// <summary>The migrations embedded in the silo assembly, ordered by version.</summary>
    public static IReadOnlyList<PostgresMigration> LoadEmbedded() => Load(typeof(PostgresMigration).Assembly);

    internal static IReadOnlyList<PostgresMigration> Load(Assembly assembly)
    {
        var migrations = new List<PostgresMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[ResourcePrefix.Length..];
            var match = FileNamePattern().Match(fileName);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration resource '{fileName}' must be named NNNN_lower_snake_name.sql.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Migration resource '{resource}' cannot be opened.");
            using var reader = new StreamReader(stream);
            migrations.Add(new PostgresMigration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()));
        }

        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Migration version {duplicate.Key:D4} is used by {string.Join(", ", duplicate.Select(m => m.Name))}.");
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@"^(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex FileNamePattern();
}
