import Crypto
import Foundation

/// The providers' authenticity checks (README "Sending and the pixel"), all with swift-crypto: no
/// hand-written cryptography, constant-time comparisons only.
public enum WebhookSignatures {
    /// Mailgun: `signatureHex` == hex(HMAC-SHA256(key, timestamp ‖ token)), compared in
    /// constant time by swift-crypto. Malformed hex is simply not valid.
    public static func mailgunIsValid(timestamp: String, token: String, signatureHex: String, key: String) -> Bool {
        guard let mac = hexBytes(signatureHex), mac.count == SHA256.byteCount else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(
            mac, authenticating: Array((timestamp + token).utf8), using: SymmetricKey(data: Array(key.utf8)))
    }

    /// Postmark: the `Authorization: Basic ...` header names `user` with `password`. The
    /// comparison is over SHA-256 digests, whose equality is constant time.
    public static func basicAuthIsValid(header: String?, user: String, password: String) -> Bool {
        guard let header, header.count < 4096 else { return false }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "basic",
            let decoded = Data(base64Encoded: String(parts[1]).trimmingCharacters(in: .whitespaces))
        else { return false }
        return SHA256.hash(data: decoded) == SHA256.hash(data: Data((user + ":" + password).utf8))
    }

    /// SendGrid's verification key, or nil when it is not base64 DER of a P-256 public key.
    public static func sendgridKey(base64 der: String) -> P256.Signing.PublicKey? {
        guard let data = Data(base64Encoded: der.trimmingCharacters(in: .whitespacesAndNewlines)) else { return nil }
        return try? P256.Signing.PublicKey(derRepresentation: data)
    }

    /// SendGrid: ECDSA P-256 / SHA-256 of timestamp ‖ raw body, signature in base64 DER.
    public static func sendgridIsValid(
        timestamp: String, body: [UInt8], signatureBase64: String, key: P256.Signing.PublicKey
    ) -> Bool {
        guard let der = Data(base64Encoded: signatureBase64.trimmingCharacters(in: .whitespaces)),
            let signature = try? P256.Signing.ECDSASignature(derRepresentation: der)
        else { return false }
        return key.isValidSignature(signature, for: Data(timestamp.utf8) + body)
    }

    /// The signed `timestamp` (Unix seconds) when it is at most `window` old and at most
    /// `futureSkew` ahead of `now`; nil when it is not a number or outside those bounds.
    public static func freshTime(_ timestamp: String, now: Double, window: Double, futureSkew: Double) -> Double? {
        guard let t = Double(timestamp.trimmingCharacters(in: .whitespaces)) else { return nil }
        return isFresh(t, now: now, window: window, futureSkew: futureSkew) ? t : nil
    }

    /// True when the signed time `t` is at most `window` old and at most `futureSkew` ahead of `now`.
    public static func isFresh(_ t: Double, now: Double, window: Double, futureSkew: Double) -> Bool {
        t.isFinite && now - t <= window && t - now <= futureSkew
    }

    /// The bytes of a hex string, nil when it is not hex.
    static func hexBytes(_ s: String) -> [UInt8]? {
        let digits = Array(s.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var i = 0
        while i < digits.count {
            guard let hi = nibble(digits[i]), let lo = nibble(digits[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
