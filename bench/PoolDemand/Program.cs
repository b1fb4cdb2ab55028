using System.Globalization;
using UFBrowsers.Bench.PoolDemand;

var options = DemandOptions.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: PoolDemand [--rate 3] [--session-seconds 2] [--seconds 60] [--settle-seconds 10] [--pods local|instant] [--storage postgres|memory]");
    return 2;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"PoolDemand: {options.Rate}/s sessions of {options.SessionSeconds} s for {options.Seconds} s over HTTP, {options.Pods} pods, {options.Storage} storage"));
return await SteadyArrival.RunAsync(options);
