using ChatIntegrations.Samples.ConsoleHost;

// A tiny in-memory chat server with Rocket.Chat-style incoming webhooks.
// dotnet run --project samples/ConsoleHost   (listens on http://127.0.0.1:5080; override with --urls)
var app = SampleHost.Build(args);
await app.RunAsync();
