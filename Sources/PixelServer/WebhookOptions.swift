import Foundation

/// The provider webhooks' secrets and limits; a provider whose secret is nil is not
/// configured and its path answers 404.
public struct WebhookOptions: Sendable {
    /// Mailgun's HTTP webhook signing key (HMAC-SHA256 key).
    public var mailgunSigningKey: String?
    /// The basic-auth pair embedded in Postmark's webhook URL; both are needed.
    public var postmarkUser: String?
    public var postmarkPassword: String?
    /// SendGrid's verification key: base64 DER SubjectPublicKeyInfo of a P-256 key.
    public var sendgridVerificationKey: String?
    /// Bodies over this many bytes are refused (413) unread.
    public var maxBodyBytes: Int
    /// Signed timestamps further than this from now (either way) are refused, and used
    /// Mailgun tokens are remembered this long.
    public var replayWindow: Double

    public init(
        mailgunSigningKey: String? = nil, postmarkUser: String? = nil, postmarkPassword: String? = nil,
        sendgridVerificationKey: String? = nil, maxBodyBytes: Int = 1 << 20, replayWindow: Double = 300
    ) {
        self.mailgunSigningKey = mailgunSigningKey
        self.postmarkUser = postmarkUser
        self.postmarkPassword = postmarkPassword
        self.sendgridVerificationKey = sendgridVerificationKey
        self.maxBodyBytes = maxBodyBytes
        self.replayWindow = replayWindow
    }
}
