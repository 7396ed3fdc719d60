import Foundation
import X509

/// Checks that an SNS message was signed by SNS: a known
/// `SignatureVersion`, a signing certificate from an allowed SNS host (fetched over HTTPS,
/// cached by URL), within its validity dates, whose RSA key verifies `Signature` (PKCS#1
/// v1.5 with SHA-1 or SHA-256) over the message's string to sign.
public struct SNSVerifier: Sendable {
    /// The verdict on one message; only `valid` lets it through.
    public enum Verdict: Equatable, Sendable {
        case valid
        /// Neither 1 nor 2.
        case unknownSignatureVersion
        /// `SigningCertURL` fails `SNSHostRule`: nothing was fetched.
        case foreignCertificateURL
        /// The fetch failed (network, status, size): the message cannot be checked now.
        case certificateUnavailable
        /// The fetched document is not a PEM X.509 certificate.
        case badCertificate
        /// `now` is outside the certificate's validity dates.
        case expiredCertificate
        /// Not base64, or not SNS's signature over the string to sign.
        case badSignature
    }

    private let fetcher: any SNSFetcher
    private let cache: SNSCertificateCache

    public init(fetcher: any SNSFetcher, cache: SNSCertificateCache = SNSCertificateCache()) {
        self.fetcher = fetcher
        self.cache = cache
    }

    /// Verifies `message` at time `now`; fetches its certificate only when its URL is allowed.
    public func verify(_ message: SNSMessage, now: Date) async -> Verdict {
        guard let version = message.signatureVersion else { return .unknownSignatureVersion }
        guard let url = SNSHostRule.allowedURL(message.signingCertURL) else { return .foreignCertificateURL }
        let certificate: Certificate
        switch await self.certificate(at: url) {
        case .success(let fetched): certificate = fetched
        case .failure(let error): return error.verdict
        }
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else { return .expiredCertificate }
        guard let signature = Data(base64Encoded: message.signature) else { return .badSignature }
        let algorithm: Certificate.SignatureAlgorithm
        switch version {
        case .v1: algorithm = .sha1WithRSAEncryption
        case .v2: algorithm = .sha256WithRSAEncryption
        }
        let signed = Array(message.stringToSign.utf8)
        return certificate.publicKey.isValidSignature(signature, for: signed, signatureAlgorithm: algorithm)
            ? .valid : .badSignature
    }

    /// The certificate at `url`, from the cache or fetched (and then cached).
    private func certificate(at url: URL) async -> Result<Certificate, VerdictError> {
        if let cached = cache.certificate(for: url) { return .success(cached) }
        guard let pem = try? await fetcher.get(url) else { return .failure(VerdictError(.certificateUnavailable)) }
        guard let certificate = try? Certificate(pemEncoded: String(decoding: pem, as: UTF8.self)) else {
            return .failure(VerdictError(.badCertificate))
        }
        cache.store(certificate, for: url)
        return .success(certificate)
    }
}

/// A verdict carried as a `Result` failure.
private struct VerdictError: Error {
    let verdict: SNSVerifier.Verdict
    init(_ verdict: SNSVerifier.Verdict) { self.verdict = verdict }
}
