namespace UFBrowsers.Silo.Pods.LocalChromium;

/// <summary>File modes, which the pods' fences rely on; the local provider runs on Linux only.</summary>
internal static class UnixFiles
{
    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void SetMode(string path, UnixFileMode mode)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Local Chromium pods need Linux.");
        }

        File.SetUnixFileMode(path, mode);
    }

    public static UnixFileMode GetMode(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("Local Chromium pods need Linux.");
        }

        return File.GetUnixFileMode(path);
    }
}
