import Foundation
import X509

/// SNS signing certificates by URL, so each is fetched once, not per notification. Bounded:
/// past `capacity` entries the oldest is dropped (SNS uses a handful of certificates per region).
/// Validity dates are checked at each use, not here, so an entry that expires is refused.
public final class SNSCertificateCache: @unchecked Sendable {
    private let lock = NSLock()
    private let capacity: Int
    private var certificates: [String: Certificate] = [:]
    private var order: [String] = []

    public init(capacity: Int = 32) { self.capacity = max(1, capacity) }

    /// The certificate cached for `url`, if any.
    public func certificate(for url: URL) -> Certificate? {
        lock.withLock { certificates[url.absoluteString] }
    }

    /// Remembers `certificate` for `url`, dropping the oldest entry when full.
    public func store(_ certificate: Certificate, for url: URL) {
        let key = url.absoluteString
        lock.withLock {
            if certificates.updateValue(certificate, forKey: key) == nil { order.append(key) }
            while order.count > capacity { certificates.removeValue(forKey: order.removeFirst()) }
        }
    }

    /// How many certificates are held.
    public var count: Int { lock.withLock { certificates.count } }
}
