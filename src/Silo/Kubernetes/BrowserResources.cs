namespace UFBrowsers.Silo.Kubernetes;

/// <summary>What one browser pod requests and may use. A tenant's quota is these times its plan's concurrency.</summary>
public sealed class BrowserResources
{
    public int CpuRequestMillicores { get; set; } = 500;

    public int CpuLimitMillicores { get; set; } = 1000;

    public int MemoryRequestMebibytes { get; set; } = 1024;

    public int MemoryLimitMebibytes { get; set; } = 2048;

    public static string Cpu(long millicores) => $"{millicores}m";

    public static string Memory(long mebibytes) => $"{mebibytes}Mi";
}
