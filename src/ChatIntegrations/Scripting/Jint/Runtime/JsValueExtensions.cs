using Jint.Native;

namespace ChatIntegrations.Scripting.Jint.Runtime;

internal static class JsValueExtensions
{
    /// <summary>Returns the value as a callable, or <see langword="null"/>.</summary>
    public static ICallable? AsCallable(this JsValue value) => value.IsObject() && value.AsObject() is ICallable c ? c : null;
}
