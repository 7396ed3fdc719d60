import DeliverySignals
import HTTPTypes
import TrackingModel

/// What became of one webhook request: its HTTP status and the counter it adds to.
enum WebhookOutcome: Equatable {
    /// Authenticated and stored (events applied, duplicates, unmatched or quarantined ones).
    case accepted
    /// Authenticated, but nothing in the body could be parsed (kept in quarantine).
    case unparsable
    /// The body is not JSON enough to find the signature in (Mailgun), or not an SNS
    /// message whose `x-amz-sns-*` headers agree with it (SES): nothing kept.
    case malformed
    /// The provider has no secret configured here.
    case notConfigured
    /// Missing or wrong basic-auth credentials (Postmark).
    case unauthorized
    /// Missing or wrong signature (for SNS also an unknown `SignatureVersion`).
    case badSignature
    /// SNS: the signing certificate's URL is not an SNS host (never fetched), or the
    /// certificate is unreadable or outside its validity dates.
    case badCertificate
    /// SNS: the signing certificate could not be fetched; SNS should retry.
    case certificateUnavailable
    /// SNS: a `TopicArn` that is not configured here.
    case foreignTopic
    /// SNS: a verified SubscriptionConfirmation, confirmed by GETting its SubscribeURL.
    case subscriptionConfirmed
    /// SNS: a verified SubscriptionConfirmation left to the operator (auto-confirm off; URL logged).
    case subscriptionPending
    /// SNS: GETting the SubscribeURL failed (logged for the operator); SNS should retry.
    case confirmationFailed
    /// SNS: a verified UnsubscribeConfirmation, logged (its URL would subscribe again: not visited).
    case unsubscribeNoticed
    /// Over the client address's rate limit, before anything is read; retry after that many seconds.
    case rateLimited(retryAfter: Int)
    /// A correct signature over a timestamp outside the window.
    case stale
    /// A correct signature already used within the window.
    case replayed
    /// Over the body cap.
    case tooLarge
    /// The store failed; the provider should retry.
    case storeError

    /// The HTTP status. Mailgun stops retrying on 406, which suits requests that can
    /// never become valid (stale or replayed); 5xx (and 429) asks every provider to retry.
    var status: HTTPResponse.Status {
        switch self {
        case .accepted, .subscriptionConfirmed, .subscriptionPending, .unsubscribeNoticed: .ok
        case .unparsable, .malformed: .badRequest
        case .notConfigured: .notFound
        case .unauthorized: .unauthorized
        case .badSignature, .badCertificate, .foreignTopic: .forbidden
        case .stale, .replayed: .notAcceptable
        case .tooLarge: .contentTooLarge
        case .rateLimited: .tooManyRequests
        case .storeError: .internalServerError
        case .certificateUnavailable, .confirmationFailed: .badGateway
        }
    }

    /// The short text body (never says more than the status does).
    var text: String {
        switch self {
        case .accepted: "accepted"
        case .unparsable: "unparsable body"
        case .malformed: "malformed body"
        case .notConfigured: "not configured"
        case .unauthorized: "unauthorized"
        case .badSignature: "bad signature"
        case .badCertificate: "bad certificate"
        case .certificateUnavailable: "certificate unavailable"
        case .foreignTopic: "foreign topic"
        case .subscriptionConfirmed: "subscription confirmed"
        case .subscriptionPending: "subscription left to the operator"
        case .confirmationFailed: "subscription confirmation failed"
        case .unsubscribeNoticed: "unsubscribe noticed"
        case .rateLimited: "rate limited"
        case .stale: "stale timestamp"
        case .replayed: "replayed"
        case .tooLarge: "body too large"
        case .storeError: "store error"
        }
    }

    /// The counter key (`webhook.<provider>.<this>`).
    var counterKey: String {
        switch self {
        case .accepted: "accepted"
        case .unparsable: "unparsable"
        case .malformed: "malformed"
        case .notConfigured: "notConfigured"
        case .unauthorized: "unauthorized"
        case .badSignature: "badSignature"
        case .badCertificate: "badCertificate"
        case .certificateUnavailable: "certificateUnavailable"
        case .foreignTopic: "foreignTopic"
        case .subscriptionConfirmed: "subscriptionConfirmed"
        case .subscriptionPending: "subscriptionPending"
        case .confirmationFailed: "confirmationFailed"
        case .unsubscribeNoticed: "unsubscribeNoticed"
        case .rateLimited: "rateLimited"
        case .stale: "stale"
        case .replayed: "replayed"
        case .tooLarge: "tooLarge"
        case .storeError: "storeError"
        }
    }

    /// The outcome of storing an authenticated batch.
    static func stored(_ batch: IngestBatch, _ result: Result<PollReport, any Error>) -> WebhookOutcome {
        switch result {
        case .failure: return .storeError
        case .success(let report):
            return batch.events.isEmpty && report.quarantined > 0 ? .unparsable : .accepted
        }
    }
}
