using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using UFBrowsers.Silo.Pods;
using UFBrowsers.Silo.Pods.LocalChromium;

namespace UFBrowsers.Pods.Tests;

/// <summary>The local provider's capacity hint: available memory over a pod's memory limit.</summary>
public sealed class MachineMemoryCapacityTests
{
    [Fact]
    public void MemAvailable_is_read_from_meminfo_in_bytes()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "MemTotal:       24576000 kB\nMemFree:         1000000 kB\nMemAvailable:   10485760 kB\nBuffers:          1 kB\n");
            Assert.Equal(10L * 1024 * 1024 * 1024, MachineMemoryCapacity.AvailableBytes(path));

            File.WriteAllText(path, "MemTotal:       24576000 kB\n");
            Assert.Null(MachineMemoryCapacity.AvailableBytes(path));
            Assert.Null(MachineMemoryCapacity.AvailableBytes(path + ".missing"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void The_room_is_the_available_memory_divided_by_a_pods_limit()
    {
        var options = new LocalChromiumOptions();
        options.Limits.MemoryMebibytes = 512;
        var capacity = new MachineMemoryCapacity(Options.Create(options), new FakeTimeProvider());

        var expected = MachineMemoryCapacity.AvailableBytes()!.Value / (512L * 1024 * 1024);

        // MemAvailable moves a little between two reads on a busy machine.
        Assert.InRange(capacity.Room("default")!.Value, expected - 2, expected + 2);
        Assert.Equal(capacity.Room("default"), capacity.Room("other"));
    }
}
