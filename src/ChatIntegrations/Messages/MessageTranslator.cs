using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatIntegrations.Messages;

/// <summary>Translates Slack markup in a draft's text and attachments (MSG-40, MSG-41); shared by incoming requests
/// and outgoing replies (OUT-76).</summary>
internal static class MessageTranslator
{
    public static async Task TranslateAsync(MessageDraft d, IChatDirectory directory, CancellationToken cancellationToken)
    {
        // MSG-40, MSG-41: msg, attachment text, pretext and title, field title and value.
        var ids = new HashSet<string>(StringComparer.Ordinal);
        SlackMarkup.CollectUserIds(d.Text, ids);
        foreach (var a in d.Attachments) VisitAttachmentTexts(a, s => { SlackMarkup.CollectUserIds(s, ids); return s; });
        Dictionary<string, string>? names = null;
        if (ids.Count > 0)
        {
            names = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var id in ids)
            {
                var user = await directory.FindUserAsync(id, byUsername: false, cancellationToken).ConfigureAwait(false);
                if (user is not null) names[id] = user.Username;
            }
        }

        d.Text = SlackMarkup.Translate(d.Text, names);
        foreach (var a in d.Attachments) VisitAttachmentTexts(a, s => SlackMarkup.Translate(s, names));
    }

    private static void VisitAttachmentTexts(JsonObject attachment, Func<string, string> visit)
    {
        foreach (var key in Attachments.TranslatedKeys)
        {
            if (attachment[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String) attachment[key] = visit(v.GetValue<string>());
        }

        if (attachment["fields"] is JsonArray fields)
        {
            foreach (var f in fields)
            {
                if (f is not JsonObject fo) continue;
                foreach (var key in (string[])["title", "value"])
                {
                    if (fo[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String) fo[key] = visit(v.GetValue<string>());
                }
            }
        }

        if (attachment["attachments"] is JsonArray nested)
        {
            foreach (var n in nested)
            {
                if (n is JsonObject no) VisitAttachmentTexts(no, visit);
            }
        }
    }
}
