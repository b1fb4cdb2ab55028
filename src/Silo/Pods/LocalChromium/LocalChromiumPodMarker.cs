using System.Text.Json;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// The <c>pod.json</c> written into each pod directory, so a later provider can tell whose pod it is and which process to kill.
/// </summary>
internal sealed record LocalChromiumPodMarker(
    string PodId,
    string NodePool,
    int Pid,
    DateTimeOffset StartedAt,
    int OwnerPid,
    long? OwnerStartTicks)
{
    public const string FileName = "pod.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static LocalChromiumPodMarker? TryRead(string podDirectory)
    {
        try
        {
            return JsonSerializer.Deserialize<LocalChromiumPodMarker>(File.ReadAllText(Path.Combine(podDirectory, FileName)), Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    public void Write(string podDirectory)
    {
        var path = Path.Combine(podDirectory, FileName);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }
}
