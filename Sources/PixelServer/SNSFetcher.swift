import Foundation
import HTTPFetch

/// The HTTPS GETs the SES webhook makes: SNS's signing certificate, and the SubscribeURL
/// that confirms a subscription. Only ever called with URLs that passed `SNSHostRule`;
/// injectable so tests answer with their own certificate (AWS is not reachable from them).
public protocol SNSFetcher: Sendable {
    /// The body of a 2xx answer to a GET of `url`; throws on a transport failure or another status.
    func get(_ url: URL) async throws -> [UInt8]
}

/// Why an SNS fetch gave no body.
public enum SNSFetchError: Error, Equatable {
    case status(Int)
    case tooLarge
}

/// The real fetcher: `HTTPFetch` (URLSession, the system's CA store) on a queue of its
/// own, since the call blocks; redirects are not followed (the URL that passed the host
/// rule is the only one fetched) and answers are capped (a certificate is a few KiB).
public struct HTTPSNSFetcher: SNSFetcher {
    public let timeout: Double
    public let maxBytes: Int
    private static let queue = DispatchQueue(label: "chatter.sns.fetch", attributes: .concurrent)

    public init(timeout: Double = 10, maxBytes: Int = 64 * 1024) {
        self.timeout = timeout
        self.maxBytes = maxBytes
    }

    public func get(_ url: URL) async throws -> [UInt8] {
        let (timeout, maxBytes) = (self.timeout, self.maxBytes)
        return try await withCheckedThrowingContinuation { continuation in
            Self.queue.async {
                continuation.resume(
                    with: Result {
                        let response = try HTTPFetch.get(
                            url, headers: ["Accept": "*/*"], timeout: timeout, followRedirects: false)
                        guard (200..<300).contains(response.status) else { throw SNSFetchError.status(response.status) }
                        guard response.body.count <= maxBytes else { throw SNSFetchError.tooLarge }
                        return Array(response.body)
                    })
            }
        }
    }
}
