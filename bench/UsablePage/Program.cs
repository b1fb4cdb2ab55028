using Microsoft.Playwright;
using UFBrowsers.Bench.UsablePage;
using UFBrowsers.BenchSupport;
using UFBrowsers.Grains.Pods;
using UFBrowsers.TestSupport;

// Time from POST /v1/sessions to a usable page, as a customer's Playwright script sees it, in three shapes of demand, against
// the floor (the same steps on a Chromium launched directly and already warm), sandbox vs Sandbox=false. See README
// "Time to a usable page". Run as root (the sandbox needs it):
//   dotnet run -c Release --project bench/UsablePage [-- --shapes one-a-second,back-to-back,steady --samples 30]
if (args.Contains("--help"))
{
    Console.WriteLine(UsablePageOptions.Usage);
    return;
}

var options = UsablePageOptions.Parse(args);
Console.WriteLine($"cores: {Environment.ProcessorCount}; load: {MachineLoad.Line()}; variants: {string.Join(", ", options.Variants.Select(v => v.Name))}");

// Ctrl+C (or SIGTERM) stops the run and still removes every browser, host and the database it made.
using var stopping = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stopping.Cancel();
};
using var terminate = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, signal =>
{
    signal.Cancel = true;
    stopping.Cancel();
});

var root = Path.Combine(Path.GetTempPath(), "ufb-bench-usable-" + Environment.ProcessId);
var postgres = new PostgresServer();
await postgres.InitializeAsync();
var sources = new List<IPageSource>();
// --spans: the product's own spans of each sandboxed create, to show where a create's time goes (costs a little).
using var spans = args.Contains("--spans") ? new SpanRecorder() : null;
try
{
    foreach (var variant in options.Variants)
    {
        var directory = Path.Combine(root, sources.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        sources.Add(variant.IsFloor
            ? await FloorPages.StartAsync(variant, directory, options.FloorAge, TimeSpan.FromMilliseconds(new NodePoolOptions().RefillDelayMilliseconds))
            : await ProductPages.StartAsync(variant, postgres, directory, options.WarmTarget, spans));
    }

    using var playwright = await Playwright.CreateAsync();
    using var log = new SessionLog(options.Csv);
    var runner = new ShapeRunner(sources, new CustomerClient(playwright), options, log, stopping.Token);
    await runner.WarmUpAsync(sessions: 3);
    spans?.Clear();

    var results = new List<ShapeResult>();
    foreach (var shape in options.Shapes)
    {
        SetFloorStock(shape);
        var result = shape switch
        {
            UsablePageOptions.OneASecond => await runner.OneASecondAsync(),
            UsablePageOptions.BackToBack => await runner.BackToBackAsync(),
            _ => await runner.SteadyAsync(),
        };
        Report.Print(result);
        results.Add(result);
    }

    Console.WriteLine();
    Console.WriteLine("Targets (sandboxed product):");
    foreach (var line in results.SelectMany(Report.Targets))
    {
        Console.WriteLine("  " + line);
    }

    if (spans is not null)
    {
        Console.WriteLine();
        Console.WriteLine("Where a sandboxed create's time goes (the product's spans):");
        Console.WriteLine(spans.Report());
    }

    Console.WriteLine($"load after: {MachineLoad.Line()}");
}
catch (Exception) when (stopping.IsCancellationRequested)
{
    Console.WriteLine("Stopped; removing the browsers, hosts and database.");
}
finally
{
    foreach (var source in sources)
    {
        await source.DisposeAsync();
    }

    await postgres.DisposeAsync();
    if (Directory.Exists(root))
    {
        Directory.Delete(root, recursive: true);
    }
}

// The floor keeps enough browsers ready that it never waits in a shape: its own refills still load the machine as the
// product's pool does, but its time to a usable page is always that of a warm browser.
void SetFloorStock(string shape)
{
    var stock = shape == UsablePageOptions.Steady
        ? (int)Math.Ceiling(options.SteadyRate * (options.FloorAge.TotalSeconds + 1)) + 2
        : shape == UsablePageOptions.BackToBack ? 3 : 2;
    foreach (var floor in sources.OfType<FloorPages>())
    {
        floor.Target = stock;
    }
}
