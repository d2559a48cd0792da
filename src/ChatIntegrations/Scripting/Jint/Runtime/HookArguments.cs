using System.Globalization;
using global::Jint;
using global::Jint.Native;
using global::Jint.Native.Object;

namespace ChatIntegrations.Scripting.Jint.Runtime;

/// <summary>SCR-70: in the <c>request.data</c> of both outgoing hooks, <c>timestamp</c>, and <c>ts</c>,
/// <c>_updatedAt</c>, <c>editedAt</c>, <c>createdAt</c> and <c>lastLogin</c> inside <c>user</c>, <c>owner</c>,
/// <c>room</c> and <c>message</c>, arrive as <c>Date</c> objects.</summary>
internal static class HookArguments
{
    private static readonly string[] Holders = ["user", "owner", "room", "message"];
    private static readonly string[] DateKeys = ["ts", "_updatedAt", "editedAt", "createdAt", "lastLogin"];

    public static void ShapeDates(ScriptRealm realm, string hook, JsValue argument)
    {
        if (hook is not ("prepare_outgoing_request" or "process_outgoing_response") || !argument.IsObject())
        {
            return;
        }

        var request = argument.AsObject().Get("request");
        if (!request.IsObject() || request.AsObject().Get("data") is not { } data || !data.IsObject())
        {
            return;
        }

        var d = data.AsObject();
        ToDate(realm, d, "timestamp");
        foreach (var holder in Holders)
        {
            if (d.Get(holder) is { } h && h.IsObject() && h.AsObject() is JsObject)
            {
                foreach (var key in DateKeys)
                {
                    ToDate(realm, h.AsObject(), key);
                }
            }
        }
    }

    private static void ToDate(ScriptRealm realm, ObjectInstance target, string key)
    {
        var value = target.Get(key);
        if (value.IsString() && DateTimeOffset.TryParse(value.AsString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var when))
        {
            target.Set(key, realm.Engine.Construct(realm.DateConstructor, [JsNumber.Create(when.ToUnixTimeMilliseconds())]));
        }
    }
}
