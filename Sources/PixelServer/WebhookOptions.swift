import Foundation

/// The provider webhooks' secrets and limits; a provider whose secret is nil (for SES: no
/// topic ARN) is not configured and its path answers 404.
public struct WebhookOptions: Sendable {
    /// Mailgun's HTTP webhook signing key (HMAC-SHA256 key).
    public var mailgunSigningKey: String?
    /// The basic-auth pair embedded in Postmark's webhook URL; both are needed.
    public var postmarkUser: String?
    public var postmarkPassword: String?
    /// SendGrid's verification key: base64 DER SubjectPublicKeyInfo of a P-256 key.
    public var sendgridVerificationKey: String?
    /// The SNS topic ARNs SES publishes to; messages of any other topic are refused.
    public var sesTopicArns: [String]
    /// Confirm a verified SNS SubscriptionConfirmation by GETting its SubscribeURL (else
    /// the URL is logged for the operator).
    public var sesAutoConfirm: Bool
    /// Fetches SNS certificates and SubscribeURLs (tests inject their own).
    public var snsFetcher: any SNSFetcher
    /// Bodies over this many bytes are refused (413) unread.
    public var maxBodyBytes: Int
    /// Signed timestamps older than this are refused; used Mailgun tokens, SendGrid contents
    /// and SNS message ids are remembered this long after their signed time (or arrival, if
    /// later), so a nonce is never forgotten while its signature is still accepted.
    public var replayWindow: Double
    /// Signed timestamps further ahead of the clock than this are refused: a provider's clock
    /// runs close to ours, and a request signed far ahead would stay usable for that long.
    public var maxFutureSkew: Double
    /// The clock of the freshness and replay checks, in Unix seconds (tests drive their own).
    public var clock: @Sendable () -> Double
    /// Per client address, for all webhook paths together: sustained requests per second
    /// and the burst allowed; over it a request is answered 429 unread.
    public var ratePerSecond: Double
    public var rateBurst: Double

    public init(
        mailgunSigningKey: String? = nil, postmarkUser: String? = nil, postmarkPassword: String? = nil,
        sendgridVerificationKey: String? = nil, sesTopicArns: [String] = [], sesAutoConfirm: Bool = false,
        snsFetcher: any SNSFetcher = HTTPSNSFetcher(), maxBodyBytes: Int = 1 << 20, replayWindow: Double = 300,
        maxFutureSkew: Double = 60, ratePerSecond: Double = 50, rateBurst: Double = 200,
        clock: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.mailgunSigningKey = mailgunSigningKey
        self.postmarkUser = postmarkUser
        self.postmarkPassword = postmarkPassword
        self.sendgridVerificationKey = sendgridVerificationKey
        self.sesTopicArns = sesTopicArns
        self.sesAutoConfirm = sesAutoConfirm
        self.snsFetcher = snsFetcher
        self.maxBodyBytes = maxBodyBytes
        self.replayWindow = replayWindow
        self.maxFutureSkew = maxFutureSkew
        self.clock = clock
        self.ratePerSecond = ratePerSecond
        self.rateBurst = rateBurst
    }
}
