using System.Security.Claims;
using System.Text.Json.Nodes;
using ChatIntegrations.Scripting.Jint;
using ChatIntegrations.Security.Ssrf;
using ChatIntegrations.Tests.Security.Ssrf;
using ChatIntegrations.Tests.TestDoubles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatIntegrations.Tests.Administration;

/// <summary><see cref="IntegrationEngine.TryScriptAsync"/>: the dry run behind the dashboard's "try it" panel, with the
/// bundled Jint script host, a collecting sink, and a socket connector and DNS resolver that count every attempt to go
/// out (issue 15 item 2; SCR-47, SCR-53, SCR-54, IN-9, SCR-20..SCR-28, SEC-16, SEC-20).</summary>
public sealed class TryScriptTests
{
    private const string IncomingScript = """
        class Script {
          process_incoming_request({ request }) {
            console.log('got', request.content.what);
            console.warn('careful');
            return { content: { text: 'Deploy ' + request.content.what + ' (' + request.headers['x-source'] + ')' } };
          }
        }
        """;

    private TryFixture _f = null!;

    [SetUp]
    public void SetUp() => _f = new TryFixture();

    [TearDown]
    public void TearDown() => _f.Dispose();

    private static JsonObject Json(string json) => JsonNode.Parse(json)!.AsObject();

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_IncomingScript_ShowsWhatWouldBePostedAndPostsNothing_IN9_SCR10(CancellationToken ct)
    {
        var id = await _f.CreateAsync(new JsonObject
        {
            ["type"] = "webhook-incoming", ["username"] = "rocket.cat", ["channel"] = "#general", ["scriptEnabled"] = true, ["script"] = IncomingScript,
        });

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"body":"{\"what\":\"api\"}","headers":{"X-Source":"ci"}}"""), ct);

        r.Success.Should().BeTrue(r.Body.ToJsonString());
        var message = r.Body["messages"]!.AsArray().Should().ContainSingle().Subject!;
        message["msg"]!.GetValue<string>().Should().Be("Deploy api (ci)");
        message["rid"]!.GetValue<string>().Should().Be("R_GENERAL");
        message["bot"]!["i"]!.GetValue<string>().Should().Be(id);
        r.Body["response"]!.ToJsonString().Should().Be("""{"statusCode":200,"body":{"success":true}}""");
        r.Body["error"].Should().BeNull();
        _f.Chat.Sent.Should().BeEmpty("a dry run never posts through the sink");
        (await _f.Store.ListHistoryAsync(id, 0, 10, ct)).Total.Should().Be(0, "a dry run writes no history even with RecordIncomingHistory");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_IncomingConsole_CapturedInOrderWithLevels_SCR51(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync(IncomingScript);

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"body":{"what":"web"}}"""), ct);

        var console = r.Body["console"]!.AsArray();
        console.Select(e => e!["level"]!.GetValue<string>() + ":" + e["message"]!.GetValue<string>()).Should().Equal("log:got web", "warn:careful");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_UnsavedScript_RunsTheSuppliedSourceAndLeavesTheSavedOne_SCR2(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync(IncomingScript);
        const string draft = "class Script { process_incoming_request() { return { content: { text: 'from the draft' } }; } }";

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject { ["script"] = draft }, ct);

        r.Body["messages"]![0]!["msg"]!.GetValue<string>().Should().Be("from the draft");
        (await _f.Store.GetAsync(id, ct))!.Script.Should().Be(IncomingScript);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_DroppedMessageField_ShownAsWarning_MSG33(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync("""
            class Script { process_incoming_request() { return { content: { text: 'x', attachments: [{ title: 't', collapsed: 'yes' }] } }; } }
            """);

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject(), ct);

        r.Body["warnings"]!.AsArray().Select(w => w!.GetValue<string>()).Should().Contain("attachment collapsed is not a boolean and was dropped");
        r.Body["messages"]![0]!["attachments"]![0]!.AsObject().ContainsKey("collapsed").Should().BeFalse();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_InfiniteLoop_ReportsTheTimeoutLimit_SCR40_SCR47(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync("class Script { process_incoming_request() { while (true) {} } }");

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject(), ct);

        r.Success.Should().BeTrue(r.Body.ToJsonString());
        r.Body["error"]!["reason"]!.GetValue<string>().Should().Be("timeout");
        r.Body["response"]!["statusCode"]!.GetValue<int>().Should().Be(400);
        r.Body["response"]!["body"]!["error"]!.GetValue<string>().Should().Be("error-running-script");
        r.Body["messages"]!.AsArray().Should().BeEmpty();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_ThrownError_ReportsExceptionWithItsMessage_SCR48(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync("class Script { process_incoming_request() { throw new TypeError('no commits'); } }");

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject(), ct);

        r.Body["error"]!["reason"]!.GetValue<string>().Should().Be("exception");
        r.Body["error"]!["message"]!.GetValue<string>().Should().StartWith("TypeError: no commits");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_ScriptCallsHttp_NotPerformedAndGetsTheDryRunError_SCR54(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync("""
            class Script {
              process_incoming_request() {
                const r = HTTP('GET', 'https://status.example/api', {});
                return { content: { text: r.error.code + ': ' + r.error.message } };
              }
            }
            """);

        var lookups = _f.Dns.Calls;

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject(), ct);

        r.Body["messages"]![0]!["msg"]!.GetValue<string>().Should().Be("EDRYRUN: not performed in a dry run");
        r.Body["httpRequests"]!.ToJsonString().Should().Be("""[{"method":"GET","url":"https://status.example/api"}]""");
        _f.Dns.Calls.Should().Be(lookups, "no host is looked up");
        _f.Connector.Attempts.Should().BeEmpty();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_Secrets_RedactedEverywhereInTheAnswer_SEC16(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync("class Script { process_incoming_request({ request }) { console.log('token is', request.url_params.token); } }");
        var token = (await _f.Store.GetAsync(id, ct))!.Token;

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject(), ct);

        r.Body["console"]![0]!["message"]!.GetValue<string>().Should().Be("token is [redacted]");
        r.Body.ToJsonString().Should().NotContain(token);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_OutgoingPrepare_ShowsTheRequestAndSendsNothing_SCR20_SCR22_DLV7(CancellationToken ct)
    {
        var id = await _f.CreateOutgoingAsync("""
            class Script {
              prepare_outgoing_request({ request }) {
                console.log('word', request.data.trigger_word);
                return { url: request.url + '/v2', method: 'put', headers: { Authorization: 'Bearer abc' }, data: { text: request.data.text } };
              }
            }
            """);

        var lookups = _f.Dns.Calls;

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"message":{"text":"!deploy api","user":"alice","channel":"#general"}}"""), ct);

        r.Success.Should().BeTrue(r.Body.ToJsonString());
        r.Body["trigger"]!.ToJsonString().Should().Be("""{"event":"sendMessage","matched":true,"triggerWord":"!deploy"}""");
        var request = r.Body["request"]!;
        request["method"]!.GetValue<string>().Should().Be("PUT");
        request["url"]!.GetValue<string>().Should().Be("https://hooks.example/deploy/v2");
        request["headers"]!["Authorization"]!.GetValue<string>().Should().Be("[redacted]");
        request["headers"]!.AsObject().ContainsKey("webhook-id").Should().BeTrue();
        request["data"]!.ToJsonString().Should().Be("""{"text":"!deploy api"}""");
        r.Body["outcome"]!.GetValue<string>().Should().Be("pre-http-call");
        r.Body["console"]![0]!["message"]!.GetValue<string>().Should().Be("word !deploy");
        _f.Dns.Calls.Should().Be(lookups, "no host is looked up");
        _f.Connector.Attempts.Should().BeEmpty();
        (await _f.Store.GetNextDueAsync(ct)).Should().BeNull("a dry run enqueues no delivery");
        (await _f.Store.ListHistoryAsync(id, 0, 10, ct)).Total.Should().Be(0);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_OutgoingFetch_RejectsWithTheDryRunError_SCR53(CancellationToken ct)
    {
        var id = await _f.CreateOutgoingAsync("""
            class Script {
              async prepare_outgoing_request({ request }) {
                try { await fetch('https://status.example/x'); } catch (e) { console.log(e.message, e.cause.code); }
                return request;
              }
            }
            """);

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"message":{"text":"!deploy","channel":"general"}}"""), ct);

        r.Body["console"]![0]!["message"]!.GetValue<string>().Should().Be("fetch failed: not performed in a dry run EDRYRUN");
        r.Body["httpRequests"]![0]!["url"]!.GetValue<string>().Should().Be("https://status.example/x");
        _f.Connector.Attempts.Should().BeEmpty();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_OutgoingPastedResponse_ProcessHookReplyShownNotPosted_SCR26_SCR28(CancellationToken ct)
    {
        var id = await _f.CreateOutgoingAsync("""
            class Script {
              process_outgoing_response({ response }) {
                return { content: { text: `status ${response.status_code}: ${response.content.state}` } };
              }
            }
            """);

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id,
            Json("""{"message":{"text":"!deploy","channel":"general"},"response":{"status_code":200,"content":{"state":"green"}}}"""), ct);

        r.Body["outcome"]!.GetValue<string>().Should().Be("after-process-send-message");
        var reply = r.Body["messages"]!.AsArray().Should().ContainSingle().Subject!;
        reply["msg"]!.GetValue<string>().Should().Be("status 200: green");
        reply["rid"]!.GetValue<string>().Should().Be("R_GENERAL");
        _f.Chat.Sent.Should().BeEmpty();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_OutgoingWithoutResponse_ProcessHookSkipped_SCR25(CancellationToken ct)
    {
        var id = await _f.CreateOutgoingAsync("class Script { process_outgoing_response() { console.log('ran'); } }");

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"message":{"text":"hello","channel":"general"}}"""), ct);

        r.Body["trigger"]!["matched"]!.GetValue<bool>().Should().BeFalse("'hello' is not a trigger word, and the script is tried anyway");
        r.Body["console"]!.AsArray().Should().BeEmpty();
        r.Body["request"]!["method"]!.GetValue<string>().Should().Be("POST");
        r.Body["request"]!["data"]!["text"]!.GetValue<string>().Should().Be("hello");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_UnknownIntegration_NotFound_GEN12(CancellationToken ct)
    {
        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, "nope", new JsonObject(), ct);

        r.Error.Should().Be("error-not-found");
        r.StatusCode.Should().Be(404);
    }

    [TestCase("incoming", """{"script":5}""", "script")]
    [TestCase("incoming", """{"headers":"x"}""", "headers")]
    [TestCase("incoming", """{"headers":{"X-A":1}}""", "headers")]
    [TestCase("incoming", """{"query":true}""", "query")]
    [TestCase("outgoing", """{}""", "message")]
    [TestCase("outgoing", """{"message":{"text":1,"channel":"general"}}""", "message.text")]
    [TestCase("outgoing", """{"message":{"text":"x"}}""", "message.channel")]
    [TestCase("outgoing", """{"message":{"text":"x","channel":"general","user":["a"]}}""", "message.user")]
    [TestCase("outgoing", """{"message":{"text":"x","channel":"general"},"response":{"status_code":"200"}}""", "response.status_code")]
    [TestCase("outgoing", """{"message":{"text":"x","channel":"general"},"response":{"status_code":200,"headers":[]}}""", "response.headers")]
    [CancelAfter(30_000)]
    public async Task TryScript_WrongTypeInInput_InvalidFieldNamed_GEN12(string type, string input, string field, CancellationToken ct)
    {
        var id = type == "incoming" ? await _f.CreateIncomingAsync(IncomingScript) : await _f.CreateOutgoingAsync("class Script {}");

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json(input), ct);

        r.Error.Should().Be("error-invalid-field");
        r.StatusCode.Should().Be(400);
        r.Body["field"]!.GetValue<string>().Should().Be(field);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_UnknownChannel_InvalidRoom(CancellationToken ct)
    {
        var id = await _f.CreateOutgoingAsync("class Script {}");

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"message":{"text":"x","channel":"#nowhere"}}"""), ct);

        r.Error.Should().Be("error-invalid-room");
        r.Body["field"]!.GetValue<string>().Should().Be("message.channel");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_SyntaxErrorInSuppliedScript_DiagnosticsAsValidateScript_SCR30_SCR35(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync(IncomingScript);

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject { ["script"] = "class Script {\n  process_incoming_request( {\n}" }, ct);

        r.Error.Should().Be("error-invalid-script");
        var diagnostic = r.Body["diagnostics"]!.AsArray().Should().ContainSingle().Subject!;
        diagnostic["line"]!.GetValue<int>().Should().BeGreaterThan(1);
        diagnostic["message"]!.GetValue<string>().Should().NotBeEmpty();
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_NoScriptSuppliedAndSavedOneDisabled_SpecificError(CancellationToken ct)
    {
        var id = await _f.CreateAsync(new JsonObject
        {
            ["type"] = "webhook-incoming", ["username"] = "rocket.cat", ["channel"] = "#general", ["scriptEnabled"] = false, ["script"] = IncomingScript,
        });

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"body":{"text":"hi"}}"""), ct);

        r.Error.Should().Be("error-no-script");
        r.Body["field"]!.GetValue<string>().Should().Be("script");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_KillSwitch_ScriptsDisabled_IN73(CancellationToken ct)
    {
        _f.Dispose();
        _f = new TryFixture(o => o.Scripts.Disabled = true);
        var id = await _f.CreateIncomingAsync(IncomingScript);

        var r = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject(), ct);

        r.Error.Should().Be("error-scripts-disabled");
    }

    // SCR-36: what cannot be saved under Scripts.Frozen is not tried either; the saved script still can be.
    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_FrozenScripts_UnsavedScriptRefusedSavedOneTried_SCR36(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync(IncomingScript);
        _f.Options.Scripts.Frozen = true;

        var unsaved = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject { ["script"] = "class Script { process_incoming_request() {} }" }, ct);
        var saved = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, new JsonObject { ["script"] = IncomingScript, ["body"] = new JsonObject { ["what"] = "x" } }, ct);

        unsaved.Error.Should().Be("integration-scripts-disabled");
        saved.Success.Should().BeTrue(saved.Body.ToJsonString());
        saved.Body["messages"]![0]!["msg"]!.GetValue<string>().Should().Be("Deploy x (undefined)");
    }

    // SCR-52: the trial's Store is its own; the instance of real traffic never sees what a dry run stored.
    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_StoreWrites_StayInTheDryRun_SCR52(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync("""
            class Script {
              process_incoming_request({ request }) {
                const seen = Store.get('seen') || 'nothing';
                if (request.content.mark) Store.set('seen', request.content.mark);
                return { content: { text: 'seen ' + seen } };
              }
            }
            """);

        var tried = await _f.Engine.TryScriptAsync(TryFixture.Admin, id, Json("""{"body":{"mark":"from the dry run"}}"""), ct);
        var token = (await _f.Store.GetAsync(id, ct))!.Token;
        var real = await _f.Engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = "POST",
            Path = $"/hooks/{id}/{token}",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" },
            Body = new MemoryStream("{}"u8.ToArray()),
            ContentLength = 2,
        }, ct);

        tried.Body["messages"]![0]!["msg"]!.GetValue<string>().Should().Be("seen nothing");
        real.StatusCode.Should().Be(200, real.Body.ToJsonString());
        _f.Chat.Sent.Should().ContainSingle().Which.Text.Should().Be("seen nothing");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task TryScript_DeniedActor_GetsNothingAndNothingRuns_SEC20(CancellationToken ct)
    {
        var id = await _f.CreateIncomingAsync(IncomingScript);
        var compilations = _f.ScriptHost.Compilations;
        var viewer = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "viewer")], "test"));

        var r = await _f.Engine.TryScriptAsync(viewer, id, new JsonObject { ["script"] = "class Script { process_incoming_request() { return { content: { text: 'x' } }; } }" }, ct);

        r.Error.Should().Be("not_authorized");
        r.StatusCode.Should().Be(403);
        r.Body.Select(p => p.Key).Should().BeEquivalentTo("success", "error");
        _f.Authorizer.Asked.Should().Contain((IntegrationOperation.UpdateIntegration, "viewer", id));
        _f.ScriptHost.Compilations.Should().Be(compilations, "nothing is parsed or run for a denied actor");
    }

    /// <summary>An engine through the real DI registration, with the bundled Jint host on the system clock (so a time
    /// limit can be hit), a short script time limit, and outbound HTTP that counts instead of connecting.</summary>
    private sealed class TryFixture : IDisposable
    {
        public static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], "test"));

        private readonly ServiceProvider _provider;

        public TryFixture(Action<ChatIntegrationsOptions>? configure = null)
        {
            var services = new ServiceCollection();
            services.AddSingleton<IChatDirectory>(Chat);
            services.AddSingleton<IMessageSink>(Chat);
            services.AddSingleton<IDnsResolver>(Dns);
            services.AddSingleton<ISocketConnector>(Connector);
            services.AddSingleton<IIntegrationAuthorizer>(Authorizer);
            services.AddChatIntegrations(o =>
            {
                o.RecordIncomingHistory = true;
                o.Scripts.TimeLimit = TimeSpan.FromMilliseconds(300);
                o.Scripts.MaxStatements = ScriptDefaults.MaxStatementsMax;
                configure?.Invoke(o);
            });
            _provider = services.BuildServiceProvider();
            Engine = _provider.GetRequiredService<IntegrationEngine>();
        }

        public TestChat Chat { get; } = new();

        public StubDnsResolver Dns { get; } = new();

        public CountingSocketConnector Connector { get; } = new();

        public RecordingAuthorizer Authorizer { get; } = new();

        public IntegrationEngine Engine { get; }

        public IIntegrationStore Store => _provider.GetRequiredService<IIntegrationStore>();

        /// <summary>Gets the options the engine reads (<c>CurrentValue</c>), for switches flipped after the setup.</summary>
        public ChatIntegrationsOptions Options => _provider.GetRequiredService<IOptionsMonitor<ChatIntegrationsOptions>>().CurrentValue;

        public JintScriptHost ScriptHost => (JintScriptHost)_provider.GetRequiredService<IScriptHost>();

        public async Task<string> CreateAsync(JsonObject document)
        {
            var r = await Engine.CreateAsync(Admin, document);
            r.Success.Should().BeTrue(r.Body.ToJsonString());
            return r.Body["integration"]!["_id"]!.GetValue<string>();
        }

        public Task<string> CreateIncomingAsync(string script) => CreateAsync(new JsonObject
        {
            ["type"] = "webhook-incoming", ["username"] = "rocket.cat", ["channel"] = "#general", ["scriptEnabled"] = true, ["script"] = script,
        });

        public Task<string> CreateOutgoingAsync(string script) => CreateAsync(new JsonObject
        {
            ["type"] = "webhook-outgoing", ["username"] = "rocket.cat", ["channel"] = "#general", ["urls"] = new JsonArray("https://hooks.example/deploy"),
            ["triggerWords"] = new JsonArray("!deploy"), ["scriptEnabled"] = true, ["script"] = script,
        });

        public void Dispose() => _provider.Dispose();
    }

    /// <summary>Allows everything except for the actor <c>viewer</c>, and records every question.</summary>
    private sealed class RecordingAuthorizer : IIntegrationAuthorizer
    {
        public List<(IntegrationOperation Operation, string? Actor, string? IntegrationId)> Asked { get; } = [];

        public ValueTask<bool> AuthorizeAsync(ClaimsPrincipal actor, IntegrationOperation operation, IntegrationResource resource, CancellationToken cancellationToken = default)
        {
            lock (Asked) Asked.Add((operation, actor.Identity?.Name, resource.IntegrationId));
            return ValueTask.FromResult(actor.Identity?.Name != "viewer");
        }
    }
}
