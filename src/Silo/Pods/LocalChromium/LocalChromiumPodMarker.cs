using System.Text.Json;

namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>
/// The <c>pod.json</c> written into each pod directory, so a later provider can tell whose pod it is and which processes to kill.
/// </summary>
/// <param name="Pid">The browser's process (the sandbox's launcher, or Chromium when unsandboxed).</param>
/// <param name="Processes">Every process the provider started for the pod; the rest of the pod descends from them.</param>
internal sealed record LocalChromiumPodMarker(
    string PodId,
    string NodePool,
    int Pid,
    DateTimeOffset StartedAt,
    int OwnerPid,
    long? OwnerStartTicks,
    bool Sandboxed = false,
    IReadOnlyList<ProcessIdentity>? Processes = null)
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
        UnixFiles.SetMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temporary, path, overwrite: true);
    }
}
