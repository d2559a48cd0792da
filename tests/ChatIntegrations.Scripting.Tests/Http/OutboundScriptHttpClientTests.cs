using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Scripting.Jint.Http;
using ChatIntegrations.Security.Ssrf;
using Microsoft.Extensions.DependencyInjection;
using ChatIntegrations.Scripting.Tests.Support;

namespace ChatIntegrations.Scripting.Tests.Http;

/// <summary>The legacy <c>HTTP</c> helper and <c>fetch</c> against a real loopback receiver, through the SSRF-guarded
/// client (SCR-53, SCR-54, SEC-6, SEC-14).</summary>
public class OutboundScriptHttpClientTests
{
    [Test]
    [CancelAfter(30000)]
    public async Task Http_RealLoopbackReceiver_SCR54_SendsAndParses(CancellationToken cancellationToken)
    {
        using var listener = LoopbackListener.Start(out var prefix);
        var served = Task.Run(async () =>
        {
            for (int i = 0; i < 4; i++)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(cancellationToken);
                var path = context.Request.Url!.AbsolutePath;
                if (path == "/redirect")
                {
                    context.Response.StatusCode = 302;
                    context.Response.RedirectLocation = prefix + "echo";
                    context.Response.Close();
                    continue;
                }

                var answer = Encoding.UTF8.GetBytes("{\"method\":\"" + context.Request.HttpMethod + "\",\"body\":" + (body.Length == 0 ? "null" : body) + ",\"auth\":\"" + context.Request.Headers["Authorization"] + "\"}");
                context.Response.StatusCode = path == "/fail" ? 500 : 200;
                context.Response.ContentType = "application/json";
                await context.Response.OutputStream.WriteAsync(answer, cancellationToken);
                context.Response.Close();
            }
        }, cancellationToken);

        using var host = TestHost.Create(http: NewClient(allowLoopback: true));
        var result = await host.RunAsync(
            $"var a = HTTP('POST', '{prefix}echo', {{ data: {{ x: 1 }}, auth: 'u:p' }}); var b = HTTP('GET', '{prefix}redirect'); var c = HTTP('GET', '{prefix}fail');" +
            "return [a.result.data, b.result.data.method, c.error.message.indexOf('failed [500]') === 0];");
        await served;
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("[{\"method\":\"POST\",\"body\":{\"x\":1},\"auth\":\"Basic dTpw\"},\"GET\",true]");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task SendAsync_NothingListening_SCR26_ReportsConnectionRefused()
    {
        int port;
        using (var socket = new TcpListener(IPAddress.Loopback, 0))
        {
            socket.Start();
            port = ((IPEndPoint)socket.LocalEndpoint).Port;
        }

        var client = NewClient(allowLoopback: true);
        var response = await client.SendAsync(new ScriptHttpRequest { Method = "GET", Url = new Uri($"http://127.0.0.1:{port}/") }, CancellationToken.None);
        response.ErrorCode.Should().Be("ECONNREFUSED");
    }


    [Test]
    [CancelAfter(30000)]
    public async Task Http_LoopbackNotAllowListed_SEC6_FailsWithEssrf()
    {
        using var host = TestHost.Create(http: NewClient(allowLoopback: false));
        var result = await host.RunAsync("var r = HTTP('GET', 'http://127.0.0.1:9/x'); return r.error.code;");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.GetValue<string>().Should().Be("ESSRF");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Http_ConfiguredMaxHttpResponseBytes_RefusesLargerLoopbackBody_SEC14_SCR54(CancellationToken cancellationToken)
    {
        using var listener = LoopbackListener.Start(out var prefix);
        var served = ServeBodiesAsync(listener, 2, cancellationToken);
        using var host = TestHost.Create(o => o.MaxHttpResponseBytes = 2048, http: NewClient(allowLoopback: true));
        var result = await host.RunAsync(
            $"var fits = HTTP('GET', '{prefix}2048'); var over = HTTP('GET', '{prefix}2049');" +
            "return [fits.result.content.length, over.result === undefined, over.error];");
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""[2048,true,{"message":"response body larger than 2048 bytes","code":"ETOOLARGE"}]""");
        await served;
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Fetch_ConfiguredMaxHttpResponseBytes_RejectsLargerLoopbackBodyOnRead_SEC14_SCR53(CancellationToken cancellationToken)
    {
        using var listener = LoopbackListener.Start(out var prefix);
        var served = ServeBodiesAsync(listener, 2, cancellationToken);
        using var host = TestHost.Create(o => o.MaxHttpResponseBytes = 2048, http: NewClient(allowLoopback: true));
        var result = await RunAsyncHook(host, $$"""
            const fits = await fetch('{{prefix}}2048');
            const over = await fetch('{{prefix}}2049');
            const text = await over.text().catch(e => [e.name, e.message]);
            const json = await over.json().catch(e => [e.name, e.message]);
            return [(await fits.text()).length, over.status, text, json];
            """);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be("""[2048,200,["TypeError","response too large"],["TypeError","response too large"]]""");
        await served;
    }

    [Test]
    [CancelAfter(30000)]
    public async Task FetchAndHttp_MaxHttpResponseBytesAboveDefault_ReadMoreThanOneMiB_SEC14_SCR53_SCR54(CancellationToken cancellationToken)
    {
        const int size = 1536 * 1024; // more than the 1 MiB default
        using var listener = LoopbackListener.Start(out var prefix);
        var served = ServeBodiesAsync(listener, 2, cancellationToken);
        using var host = TestHost.Create(o => o.MaxHttpResponseBytes = 2 * 1024 * 1024, http: NewClient(allowLoopback: true));
        var result = await RunAsyncHook(host, $$"""
            const fetched = await fetch('{{prefix}}{{size}}');
            const legacy = HTTP('GET', '{{prefix}}{{size}}');
            return [(await fetched.text()).length, legacy.error === undefined ? legacy.result.content.length : legacy.error.code];
            """);
        result.Outcome.Should().Be(ScriptOutcome.Completed, result.ErrorDetail);
        result.Value!.ToJsonString().Should().Be($"[{size},{size}]");
        await served;
    }

    private static Task<ScriptCallResult> RunAsyncHook(JintScriptHost host, string body) =>
        host.InvokeAsync(TestHost.Script("class Script {\n  async process_incoming_request() {\n" + body + "\n  }\n}\n"), "process_incoming_request", TestHost.Arg()).AsTask();

    /// <summary>Answers <paramref name="requests"/> requests; <c>/N</c> gets a <c>text/plain</c> body of N bytes.</summary>
    private static Task ServeBodiesAsync(HttpListener listener, int requests, CancellationToken cancellationToken) => Task.Run(async () =>
    {
        for (int i = 0; i < requests; i++)
        {
            var context = await listener.GetContextAsync();
            int size = int.Parse(context.Request.Url!.AbsolutePath.TrimStart('/'), CultureInfo.InvariantCulture);
            var body = new byte[size];
            Array.Fill(body, (byte)'a');
            context.Response.StatusCode = 200;
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength64 = size;
            await context.Response.OutputStream.WriteAsync(body, cancellationToken);
            context.Response.Close();
        }
    }, cancellationToken);

    /// <summary>The engine's own client, built through <c>AddChatIntegrations()</c>; loopback is allow-listed only when asked.</summary>
    private static OutboundScriptHttpClient NewClient(bool allowLoopback)
    {
        var services = new ServiceCollection();
        services.AddChatIntegrations(o =>
        {
            if (allowLoopback) o.Ssrf.AllowList.Add("127.0.0.0/8");
        });
        return new OutboundScriptHttpClient(services.BuildServiceProvider().GetRequiredService<OutboundHttpClient>());
    }
}
