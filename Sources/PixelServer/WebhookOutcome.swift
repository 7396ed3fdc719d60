import EventIngest
import HTTPTypes

/// What became of one webhook request: its HTTP status and the counter it adds to.
enum WebhookOutcome: Equatable {
    /// Authenticated and stored (events applied, duplicates, unmatched or quarantined ones).
    case accepted
    /// Authenticated, but nothing in the body could be parsed (kept in quarantine).
    case unparsable
    /// The body is not JSON enough to find the signature in (Mailgun): nothing kept.
    case malformed
    /// The provider has no secret configured here.
    case notConfigured
    /// Missing or wrong basic-auth credentials (Postmark).
    case unauthorized
    /// Missing or wrong signature.
    case badSignature
    /// A correct signature over a timestamp outside the window.
    case stale
    /// A correct signature already used within the window.
    case replayed
    /// Over the body cap.
    case tooLarge
    /// The store failed; the provider should retry.
    case storeError
    /// SES through SNS is not built (its certificate must be fetched over HTTPS).
    case notImplemented

    /// The HTTP status. Mailgun stops retrying on 406, which suits requests that can
    /// never become valid (stale or replayed); 5xx asks every provider to retry.
    var status: HTTPResponse.Status {
        switch self {
        case .accepted: .ok
        case .unparsable, .malformed: .badRequest
        case .notConfigured: .notFound
        case .unauthorized: .unauthorized
        case .badSignature: .forbidden
        case .stale, .replayed: .notAcceptable
        case .tooLarge: .contentTooLarge
        case .storeError: .internalServerError
        case .notImplemented: .notImplemented
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
        case .stale: "stale timestamp"
        case .replayed: "replayed"
        case .tooLarge: "body too large"
        case .storeError: "store error"
        case .notImplemented: "not implemented"
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
        case .stale: "stale"
        case .replayed: "replayed"
        case .tooLarge: "tooLarge"
        case .storeError: "storeError"
        case .notImplemented: "notImplemented"
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
