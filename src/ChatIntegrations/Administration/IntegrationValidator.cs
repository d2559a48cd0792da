using System.Text.Json.Nodes;
using ChatIntegrations.Security;

namespace ChatIntegrations.Administration;

/// <summary>Semantic checks of an integration before it is saved (IN-1, IN-2, IN-22, OUT-1..OUT-3, SCR-30, SEC-13).</summary>
internal sealed class IntegrationValidator
{
    private static readonly HashSet<string> Events = new(StringComparer.Ordinal)
    {
        "sendMessage", "fileUploaded", "roomArchived", "roomCreated", "roomJoined", "roomLeft", "userCreated",
    };

    private static readonly HashSet<string> RetryDelays = new(StringComparer.Ordinal) { "powers-of-ten", "powers-of-two", "increments-of-two" };
    private static readonly HashSet<string> TriggerModes = new(StringComparer.Ordinal) { "prefix", "anywhere", "first-word-exact", "first-word-prefix" };

    private readonly IChatDirectory _directory;
    private readonly IScriptHost _scripts;
    private readonly ChatIntegrationsOptions _options;

    public IntegrationValidator(IChatDirectory directory, IScriptHost scripts, ChatIntegrationsOptions options)
    {
        _directory = directory;
        _scripts = scripts;
        _options = options;
    }

    /// <summary>Normalises and checks <paramref name="i"/>; returns the normalised integration or the first problem.</summary>
    public async ValueTask<(Integration? Integration, AdministrationResult? Error)> ValidateAsync(Integration i, CancellationToken cancellationToken)
    {
        if (i.Name.Length > Defaults.MaxNameLength) return Fail("error-invalid-field", "name", "name must be at most 100 characters");
        if (string.IsNullOrWhiteSpace(i.Username)) return Fail("error-invalid-user", "username", "username is required");
        var user = await _directory.FindUserAsync(i.Username.TrimStart('@'), byUsername: true, cancellationToken).ConfigureAwait(false);
        if (user is null) return Fail("error-invalid-user", "username", $"user '{i.Username}' does not exist");
        i = i with { Username = user.Username };

        if (i.Type == IntegrationType.Incoming)
        {
            // IN-2: every default destination resolves; at least one.
            var channels = Messages.MessageBuilder.Normalise(i.Channel);
            if (channels.Count == 0) return Fail("error-invalid-room", "channel", "at least one channel is required");
            if (channels.Count > _options.MaxDestinations) return Fail("error-too-many-destinations", "channel");
            var resolver = new Incoming.DestinationResolver(_directory, user);
            foreach (var c in channels)
            {
                var (room, _) = await resolver.ResolveAsync(c, cancellationToken).ConfigureAwait(false);
                if (room is null) return Fail("error-invalid-room", "channel", c);
            }

            i = i with { Channel = channels };
            if (!Tokens.IsValidIncomingToken(i.Token)) return Fail("error-invalid-field", "token", "token must be 16–256 printable ASCII characters");

            // IN-22: never above the engine limit.
            if (i.MaxBodyBytes is { } mb && (mb < 1 || mb > _options.MaxIncomingBodyBytes))
            {
                return Fail("error-invalid-field", "maxBodyBytes", $"maxBodyBytes must be between 1 and {_options.MaxIncomingBodyBytes}");
            }

            if (i.RateLimit is { } rl && (rl.Permits < 1 || rl.WindowSeconds < 1 || rl.WindowSeconds > 86_400))
            {
                return Fail("error-invalid-field", "rateLimit", "rateLimit needs permits >= 1 and windowSeconds in 1..86400");
            }
        }
        else if (i.Type == IntegrationType.Outgoing)
        {
            var (normalised, error) = ValidateOutgoing(i, _options);
            if (error is not null) return (null, error);
            i = normalised!;

            // OUT-30, OUT-31: selectors are stored as ids (keywords in lower case), so renames never break them.
            var selectors = new List<string>(i.Channel.Count);
            foreach (var c in i.Channel)
            {
                var (selector, problem) = await ResolveSelectorAsync(c, cancellationToken).ConfigureAwait(false);
                if (problem is not null) return (null, problem);
                if (!selectors.Contains(selector!, StringComparer.Ordinal)) selectors.Add(selector!);
            }

            i = i with { Channel = selectors };
            if (i.Event == "userCreated")
            {
                ChatRoom? target = null;
                if (!string.IsNullOrWhiteSpace(i.TargetRoom))
                {
                    (target, _) = await new Incoming.DestinationResolver(_directory, user).ResolveAsync(i.TargetRoom.Trim(), cancellationToken).ConfigureAwait(false);
                }

                if (target is null) return Fail("error-invalid-targetRoom", "targetRoom");
            }
        }

        foreach (var (key, value) in (ReadOnlySpan<(string, string)>)[("alias", i.Alias), ("emoji", i.Emoji)])
        {
            if (value.Length > 256) return Fail("error-invalid-field", key, $"{key} must be at most 256 characters");
        }

        // MSG-20: the integration's avatar follows the same rule as a message's avatar.
        if (i.Avatar.Length > 0 && Messages.MessageUrls.CheckAvatar(i.Avatar) != Messages.UrlVerdict.Accepted)
        {
            return Fail("error-invalid-field", "avatar", "avatar must be an http(s) URL, a relative /path or an image data URI of at most 64 KiB");
        }

        // SCR-30: a script that is enabled must compile.
        if (i.ScriptEnabled && !string.IsNullOrWhiteSpace(i.Script))
        {
            var check = await _scripts.ValidateAsync(i.Script, i.Type, cancellationToken).ConfigureAwait(false);
            if (!check.IsValid) return (null, InvalidScript(check));
        }

        return (i, null);
    }

    internal static AdministrationResult InvalidScript(ScriptValidationResult check)
    {
        var diagnostics = new JsonArray();
        foreach (var d in check.Diagnostics)
        {
            var diagnostic = new JsonObject { ["line"] = d.Line, ["column"] = d.Column, ["message"] = d.Message };
            if (d.CodeFrame.Length > 0)
            {
                diagnostic["codeFrame"] = d.CodeFrame; // SCR-30: the source line with a caret, for display
            }

            diagnostics.Add(diagnostic);
        }
        return AdministrationResult.Fail("error-invalid-script", diagnostics: diagnostics);
    }

    private static (Integration?, AdministrationResult?) ValidateOutgoing(Integration i, ChatIntegrationsOptions options)
    {
        var ev = string.IsNullOrEmpty(i.Event) ? "sendMessage" : i.Event;
        if (!Events.Contains(ev)) return Fail("error-invalid-field", "event", $"unknown event '{ev}'");

        // OUT-3: URLs and words trimmed, blanks removed.
        var urls = i.Urls.Select(u => u.Trim()).Where(u => u.Length > 0).ToList();
        if (urls.Count == 0 || urls.Count > options.MaxUrlsPerIntegration) return Fail("error-invalid-urls", "urls", $"1 to {options.MaxUrlsPerIntegration} URLs are required");
        foreach (var u in urls)
        {
            if (u.Length > 2048 || !Uri.TryCreate(u, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || uri.UserInfo.Length > 0)
            {
                return Fail("error-invalid-urls", "urls", u);
            }

            // SEC-13: early feedback for denied literal addresses and names; the connect-time check stays authoritative.
            if (Security.Ssrf.SsrfGuard.IsDeniedLiteral(uri, options.Ssrf)) return Fail("error-url-not-allowed", "urls", u);
        }

        var words = i.TriggerWords.Select(w => w.Trim()).Where(w => w.Length > 0).ToList();
        if (words.Count > options.MaxTriggerWords || words.Any(w => w.Length > options.MaxTriggerWordLength))
        {
            return Fail("error-invalid-field", "triggerWords", $"at most {options.MaxTriggerWords} trigger words of at most {options.MaxTriggerWordLength} characters");
        }

        if (!TriggerModes.Contains(i.TriggerWordMode)) return Fail("error-invalid-field", "triggerWordMode");
        if (!RetryDelays.Contains(i.RetryDelay)) return Fail("error-invalid-field", "retryDelay");
        if (i.RetryCount is < 0 or > 10) return Fail("error-invalid-field", "retryCount", "retryCount must be 0 to 10");
        if (i.RetryRules is not ("standard" or "rocketchat")) return Fail("error-invalid-field", "retryRules");
        if (i.TimeoutMs is < 1000 or > 60000) return Fail("error-invalid-field", "timeoutMs", "timeoutMs must be 1000 to 60000");
        if (i.PayloadFormat is not ("json" or "slack-form")) return Fail("error-invalid-field", "payloadFormat");
        if (i.PayloadFormat == "slack-form" && ev is not ("sendMessage" or "fileUploaded")) return Fail("error-format-not-supported-for-event", "payloadFormat");
        if (i.ResponseContentMode is not ("parsed" or "raw")) return Fail("error-invalid-field", "responseContentMode");
        if (!Tokens.IsValidOutgoingToken(i.Token)) return Fail("error-invalid-field", "token", "token must be 1–256 printable ASCII characters");
        foreach (var c in i.Channel)
        {
            if (!(c.Length > 1 && c[0] is '#' or '@') && !IsKeyword(c) && !(c.Length > 0 && char.IsLetterOrDigit(c[0])))
            {
                return Fail("error-invalid-channel-start-with-chars", "channel", c);
            }
        }

        return (i with { Event = ev, Urls = urls, TriggerWords = words }, null);
    }

    private static bool IsKeyword(string c) =>
        c.Equals("all_public_channels", StringComparison.OrdinalIgnoreCase) ||
        c.Equals("all_private_groups", StringComparison.OrdinalIgnoreCase) ||
        c.Equals("all_direct_messages", StringComparison.OrdinalIgnoreCase);

    private async ValueTask<(string? Selector, AdministrationResult? Error)> ResolveSelectorAsync(string c, CancellationToken cancellationToken)
    {
        if (IsKeyword(c)) return (c.ToLowerInvariant(), null);
        if (c[0] == '#')
        {
            var room = await _directory.FindRoomAsync(c[1..], cancellationToken).ConfigureAwait(false);
            return room is null ? (null, AdministrationResult.Fail("error-invalid-room", "channel", c)) : ("#" + room.Id, null);
        }

        if (c[0] == '@')
        {
            var user = await _directory.FindUserAsync(c[1..], byUsername: true, cancellationToken).ConfigureAwait(false);
            return user is null ? (null, AdministrationResult.Fail("error-invalid-room", "channel", c)) : ("@" + user.Id, null);
        }

        // A bare entry must resolve as a room id (our choice, OUT-30).
        var byId = await _directory.FindRoomAsync(c, cancellationToken).ConfigureAwait(false);
        return byId is not null && byId.Id == c ? (c, null) : (null, AdministrationResult.Fail("error-invalid-room", "channel", c));
    }

    private static (Integration?, AdministrationResult?) Fail(string error, string? field = null, string? message = null) =>
        (null, AdministrationResult.Fail(error, field, message));
}
