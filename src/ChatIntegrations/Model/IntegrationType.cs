namespace ChatIntegrations;

/// <summary>The kind of an integration.</summary>
public enum IntegrationType
{
    /// <summary>An incoming webhook (<c>webhook-incoming</c>).</summary>
    Incoming,
    /// <summary>An outgoing webhook (<c>webhook-outgoing</c>).</summary>
    Outgoing,
    /// <summary>The omnichannel webhook (OMNI-1).</summary>
    Omnichannel,
}
