using ChatIntegrations.Scripting.Tests.Support;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;

namespace ChatIntegrations.Scripting.Tests.EndToEnd;

/// <summary>Real scripts through the whole engine: DI defaults (front end + Jint host), incoming pipeline, sink.</summary>
public sealed class IncomingScriptEndToEndTests
{
    private static readonly ClaimsPrincipal Admin = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "admin")], "test"));

    // seeds/000 and seeds/001: the canonical incoming script, verbatim.
    private const string Seed000Script = """
        /* exported Script */
        /* globals console, _, s */

        /** Global Helpers
         *
         * console - A normal console instance
         * _       - An underscore instance
         * s       - An underscore string instance
         */

        class Script {
          /**
           * @params {object} request
           */
          process_incoming_request({ request }) {
            // request.url.hash
            // request.url.search
            // request.url.query
            // request.url.pathname
            // request.url.path
            // request.url_raw
            // request.url_params
            // request.headers
            // request.user._id
            // request.user.name
            // request.user.username
            // request.content_raw
            // request.content

            // console is a global helper to improve debug
            console.log(request.content);

            return {
              content:{
                text: request.content.text
                // "attachments": [{
                //   "color": "#FF0000",
                //   "author_name": "Rocket.Cat",
                //   "author_link": "https://open.rocket.chat/direct/rocket.cat",
                //   "author_icon": "https://open.rocket.chat/avatar/rocket.cat.jpg",
                //   "title": "Rocket.Chat",
                //   "title_link": "https://rocket.chat",
                //   "text": "Rocket.Chat, the best open source chat",
                //   "fields": [{
                //     "title": "Priority",
                //     "value": "High",
                //     "short": false
                //   }],
                //   "image_url": "https://rocket.chat/images/mockup.png",
                //   "thumb_url": "https://rocket.chat/images/mockup.png"
                // }]
               }
            };

            // return {
            //   error: {
            //     success: false,
            //     message: 'Error example'
            //   }
            // };
          }
        }
        """;

    // seeds/002: the capture lost the comment terminators and closing braces; repaired minimally. It returns the
    // message without a content wrapper, which SCR-10 accepts.
    private const string Seed002Script = """
        /* exported Script */
        /* globals console, _, s */

        /** Global Helpers
         * console - A normal console instance
         * _       - An underscore instance
         * s       - An underscore string instance
         */

        class Script {
          /**
           * @params {object} request
           */
          process_incoming_request({ request }) {
            // request.url.hash
            // request.url.query
            // request.content

            // console is a global helper to improve debug

            return {
                text: request.content.text,
                icon_emoji: request.content.icon_emoji,
                // "attachments": [{
                //   "color": "#FF0000",
                // }]
            };

            // return {
            //   error: {
            //     success: false,
            //     message: 'Error example'
            //   }
            // };
          }
        }
        """;

    // scripts.md, worked example "incoming transform".
    private const string PushScript = """
        class Script {
          process_incoming_request({ request }) {
            const { ref, repository, pusher, commits = [] } = request.content;
            if (!ref?.startsWith('refs/heads/')) return { response: { ignored: true } };
            const branch = ref.slice('refs/heads/'.length);
            return { content: {
              text: `${pusher?.name ?? 'someone'} pushed ${commits.length} commit(s) to ${repository.full_name}:${branch}`,
              attachments: commits.map(({ id, message }) => ({ text: `${id.slice(0, 7)} ${message}` })) } };
          }
        }
        """;

    private ServiceProvider _provider = null!;
    private IntegrationEngine _engine = null!;
    private Chat _chat = null!;

    [SetUp]
    public void SetUp()
    {
        _chat = new Chat();
        var services = new ServiceCollection();
        services.AddSingleton(_chat);
        services.AddChatIntegrations(o =>
            {
                o.Scripts.TimeLimit = TimeSpan.FromMilliseconds(300);
                o.Ssrf.AllowList.Add("127.0.0.0/8"); // the loopback receiver of the fetch test
            })
            .AddChatDirectory<Chat>().AddMessageSink<Chat>().AllowAllOperations();
        _provider = services.BuildServiceProvider();
        _engine = _provider.GetRequiredService<IntegrationEngine>();
    }

    [TearDown]
    public void TearDown() => _provider.Dispose();

    [Test]
    [CancelAfter(30000)]
    public async Task Seed000Script_CurlExample_PostsText_SCR1_SCR10()
    {
        var (id, token) = await CreateAsync(Seed000Script);
        var r = await PostAsync(id, token, """
            {"emoji": ":smirk:","text": "Example message","attachments": [{"title": "Rocket.Chat","title_link": "https://rocket.chat",
              "text": "Rocket.Chat, the best open source chat","image_url": "link-to-an-image","color": "#764FA5"}]}
            """);
        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        _chat.Messages.Single().Text.Should().Be("Example message");
        _chat.Messages.Single().RoomId.Should().Be("R_GENERAL");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task Seed002Script_BothCurlExamples_PostWithEmojiAndOverride_SCR10_IN48()
    {
        var (id, token) = await CreateAsync(Seed002Script, overrideChannel: true);
        (await PostAsync(id, token, """{"icon_emoji": ":smirk:","text": "Example message"}""")).StatusCode.Should().Be(200);
        var r = await PostAsync(id, token, """{"icon_emoji": ":smirk:","channel": "#notifications","text": "Example message"}""");
        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        // The script's result has no channel, so the second message also goes to the default room: content replaces the body (IN-72).
        _chat.Messages.Select(m => (m.Text, m.Emoji)).Should().AllBeEquivalentTo(("Example message", ":smirk:"));
    }

    [Test]
    [CancelAfter(30000)]
    public async Task WorkedExamplePush_PostsSummaryAndAttachments_SCR10()
    {
        var (id, token) = await CreateAsync(PushScript);
        var r = await PostAsync(id, token, """
            {"ref":"refs/heads/main","repository":{"full_name":"acme/api"},"pusher":{"name":"alice"},
             "commits":[{"id":"a1b2c3d9","message":"Fix login"},{"id":"e4f5a6b0","message":"Add tests"}]}
            """);
        r.Body.ToJsonString().Should().Be("""{"success":true}""");
        var m = _chat.Messages.Single();
        m.Text.Should().Be("alice pushed 2 commit(s) to acme/api:main");
        m.Attachments.Select(a => a["text"]!.GetValue<string>()).Should().Equal("a1b2c3d Fix login", "e4f5a6b Add tests");
        m.ParseUrls.Should().BeFalse();
        var tag = await PostAsync(id, token, """{"ref":"refs/tags/v1","repository":{"full_name":"acme/api"}}""");
        tag.Body.ToJsonString().Should().Be("""{"ignored":true,"success":true}""");
        _chat.Messages.Should().HaveCount(1);
    }

    // Issue 13, a GitLab-style script through the real engine: its base64 PNG icon is kept as avatar and author_icon
    // (MSG-20, MSG-33), a commit message keeps its leading space and final newline (MSG-31), and an event the script does
    // not render (no text, no attachments) answers 200 and posts nothing, so GitLab does not count a failure (MSG-11).
    private const string GitLabStyleScript = """
        const GITLAB_ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
        const makeAttachment = (author, text) => ({ author_name: author ? author.name : '', author_icon: GITLAB_ICON, text, color: '#6498CC' });
        class Script {
          process_incoming_request({ request }) {
            const c = request.content;
            if (c.object_kind === 'push') {
              return { content: { username: 'gitlab', icon_url: GITLAB_ICON, text: `${c.user_name} pushed to ${c.project.name}`,
                attachments: c.commits.map(x => makeAttachment(x.author, ` ${x.message}`)) } };
            }
            return { content: { username: 'gitlab', text: c.object_attributes && c.object_attributes.note } };
          }
        }
        """;

    [Test]
    [CancelAfter(30000)]
    public async Task GitLabStyleScript_DataIconsAndUntrimmedText_EmptyEvent200_MSG11_MSG20_MSG31_MSG33()
    {
        var (id, token) = await CreateAsync(GitLabStyleScript);

        var push = await PostAsync(id, token, """
            {"object_kind":"push","user_name":"alice","project":{"name":"api"},
             "commits":[{"message":"Fix login\n","author":{"name":"alice"}}]}
            """);
        var pipeline = await PostAsync(id, token, """{"object_kind":"pipeline","object_attributes":{"status":"success"}}""");

        push.Body.ToJsonString().Should().Be("""{"success":true}""");
        pipeline.StatusCode.Should().Be(200);
        pipeline.Body.ToJsonString().Should().Be("""{"success":true}""");
        var m = _chat.Messages.Single();
        m.Text.Should().Be("alice pushed to api");
        m.Avatar.Should().StartWith("data:image/png;base64,iVBORw0KGgo");
        var a = m.Attachments.Single();
        a["author_icon"]!.GetValue<string>().Should().Be(m.Avatar);
        a["text"]!.GetValue<string>().Should().Be(" Fix login\n");
        a.ContainsKey("author_name").Should().BeTrue();
    }

    [Test]
    [CancelAfter(30000)]
    public async Task BrokenScript_RefusedAtSaveWithPosition_SCR30_SCR31()
    {
        var r = await _engine.CreateAsync(Admin, Doc("class Script {\n  process_incoming_request({ request }) {\n    return { content: { text: 'x' ;\n  }\n}"));
        r.Error.Should().Be("error-invalid-script");
        var d = r.Body["diagnostics"]![0]!;
        d["line"]!.GetValue<int>().Should().Be(3);
        d["column"]!.GetValue<int>().Should().BeGreaterThan(1);
        (await _engine.ListAsync(Admin, new IntegrationQuery())).Body["total"]!.GetValue<int>().Should().Be(0);
    }

    [Test]
    [CancelAfter(30000)]
    public async Task AsyncScriptWithFetch_LoopbackReceiver_SCR1_SCR53_SCR62(CancellationToken cancellationToken)
    {
        using var listener = LoopbackListener.Start(out var prefix);
        var served = Task.Run(async () =>
        {
            for (int i = 0; i < 2; i++)
            {
                var context = await listener.GetContextAsync();
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync(cancellationToken);
                var answer = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath == "/lookup"
                    ? "{\"owner\":\"alice\",\"echo\":" + body + ",\"type\":\"" + context.Request.ContentType + "\"}"
                    : "not json");
                context.Response.StatusCode = context.Request.Url!.AbsolutePath == "/lookup" ? 200 : 404;
                context.Response.ContentType = "application/json";
                context.Response.AddHeader("X-Trace", "t-1");
                await context.Response.OutputStream.WriteAsync(answer, cancellationToken);
                context.Response.Close();
            }
        }, cancellationToken);

        var (id, token) = await CreateAsync($$"""
            class Script {
              async lookup(service) {
                const r = await fetch('{{prefix}}lookup', { method: 'POST', body: { service } });
                return { owner: (await r.json()).owner, trace: r.headers.get('x-trace'), status: r.status };
              }
              async process_incoming_request({ request }) {
                const { owner, trace, status } = await this.lookup(request.content.service);
                const missing = await fetch('{{prefix}}missing');
                const bad = await missing.json().catch(e => e.name);
                return { content: { text: `${request.content.service}: ${owner} (${status}, ${trace}); ${missing.status} ${missing.ok} ${bad}` } };
              }
            }
            """);
        var r = await PostAsync(id, token, """{"service":"api"}""");
        await served;
        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        _chat.Messages.Single().Text.Should().Be("api: alice (200, t-1); 404 false SyntaxError");
    }


    [Test]
    [CancelAfter(30000)]
    public async Task GeneratorAndNamedGroups_RunThroughTheEngine_SCR60_SCR61()
    {
        var (id, token) = await CreateAsync("""
            class Script {
              *lines(text) { for (const line of text.split('\n')) if (line.trim()) yield line.trim(); }
              process_incoming_request({ request }) {
                const m = /(?<service>\w+) is (?<state>\w+)/.exec(request.content.status);
                const items = [...this.lines(request.content.log)].map((l, i) => `${i + 1}. ${l}`);
                return { content: { text: `${m.groups.service}=${m.groups.state}; ${items.join(' ')}` } };
              }
            }
            """);
        var r = await PostAsync(id, token, """{"status":"api is down","log":"first\n\n second \nthird"}""");
        r.StatusCode.Should().Be(200, r.Body.ToJsonString());
        _chat.Messages.Single().Text.Should().Be("api=down; 1. first 2. second 3. third");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task MissingIncomingHook_RefusedAtSave_SCR33()
    {
        var r = await _engine.CreateAsync(Admin, Doc("class Script { prepare_outgoing_request() {} }"));
        r.Error.Should().Be("error-invalid-script");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task InfiniteLoop_400WithReasonAndNextRequestServed_SEC30_SCR47()
    {
        var (id, token) = await CreateAsync("""
            class Script {
              process_incoming_request({ request }) {
                if (request.content.spin) { while (true) {} }
                return { content: { text: 'fine' } };
              }
            }
            """);
        var r = await PostAsync(id, token, """{"spin":true}""");
        r.StatusCode.Should().Be(400);
        r.Body["error"]!.GetValue<string>().Should().Be("error-running-script");
        r.Body["reason"]!.GetValue<string>().Should().BeOneOf("timeout", "statement-limit");
        (await PostAsync(id, token, "{}")).StatusCode.Should().Be(200);
        _chat.Messages.Single().Text.Should().Be("fine");
    }

    [Test]
    [CancelAfter(30000)]
    public async Task ThrowingConstructor_RefusedAtSaveByDryRun_SCR33()
    {
        var r = await _engine.CreateAsync(Admin, Doc("""
            const boom = () => { throw new Error('top-level failure'); };
            class Script {
              constructor() { boom(); }
              process_incoming_request() { return { content: { text: 'never' } }; }
            }
            """));
        r.Error.Should().Be("error-invalid-script");
        r.Body["diagnostics"]![0]!["line"]!.GetValue<int>().Should().Be(1);
    }

    private static JsonObject Doc(string script, bool overrideChannel = false) => new()
    {
        ["type"] = "webhook-incoming",
        ["channel"] = "#general",
        ["username"] = "rocket.cat",
        ["scriptEnabled"] = true,
        ["script"] = script,
        ["overrideDestinationChannelEnabled"] = overrideChannel,
    };

    private async Task<(string Id, string Token)> CreateAsync(string script, bool overrideChannel = false)
    {
        var r = await _engine.CreateAsync(Admin, Doc(script, overrideChannel));
        r.Success.Should().BeTrue(r.Body.ToJsonString());
        return (r.Body["integration"]!["_id"]!.GetValue<string>(), r.Body["integration"]!["token"]!.GetValue<string>());
    }

    private Task<IncomingWebhookResponse> PostAsync(string id, string token, string json)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        return _engine.HandleIncomingAsync(new IncomingWebhookRequest
        {
            Method = "POST",
            Path = $"/hooks/{id}/{token}",
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Content-Type"] = "application/json" },
            ContentLength = bytes.Length,
            Body = new MemoryStream(bytes),
        });
    }

    private sealed class Chat : IChatDirectory, IMessageSink
    {
        private static readonly ChatRoom[] Rooms = [new("R_GENERAL", "general"), new("R_NOTIFICATIONS", "notifications")];
        private static readonly ChatUser Bot = new("u-bot", "rocket.cat", "Rocket Cat");

        public ConcurrentQueue<ChatMessage> Messages { get; } = new();

        public ValueTask<ChatRoom?> FindRoomAsync(string idOrName, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Rooms.FirstOrDefault(r => r.Id == idOrName || r.Name == idOrName));

        public ValueTask<ChatUser?> FindUserAsync(string idOrUsername, bool byUsername = true, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<ChatUser?>(idOrUsername == Bot.Id || (byUsername && idOrUsername == Bot.Username) ? Bot : null);

        public ValueTask<DirectoryResult<ChatRoom>> GetDirectRoomAsync(ChatUser sender, ChatUser other, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(DirectoryResult<ChatRoom>.Fail("error-not-allowed"));

        public ValueTask<string?> CheckMayPostAsync(ChatUser sender, ChatRoom room, CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(null);

        public ValueTask<SendMessageResult> SendAsync(ChatMessage message, CancellationToken cancellationToken = default)
        {
            Messages.Enqueue(message);
            return ValueTask.FromResult(SendMessageResult.Sent("m" + Messages.Count, message.RoomId, DateTimeOffset.UnixEpoch));
        }
    }
}
