using UFBrowsers.Api.Hosting;
using UFBrowsers.Silo.Hosting;

var builder = WebApplication.CreateBuilder(args);

// The API and the silo share one process by default (a laptop, CI); the grains are called in-process.
builder.UseOrleans(silo => silo.AddUFBrowsers(builder.Configuration));
builder.Services.AddUFBrowsersApi(builder.Configuration);

var app = builder.Build();
app.UseUFBrowsersApi();
app.Run();

public partial class Program;
