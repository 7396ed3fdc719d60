/// The identities a post mints, the same in every store: the message's RFC 5322
/// Message-ID and the open-tracking pixel tokens.
public enum PostingIdentity {
    /// A fresh RFC 5322 Message-ID (without brackets) in the author's domain.
    public static func messageId(authorEmail: String?, date: Double) -> String {
        let domain = authorEmail.flatMap { $0.split(separator: "@").last.map(String.init) } ?? "chatter.localhost"
        var rng = SystemRandomNumberGenerator()
        let r = String(rng.next() as UInt64, radix: 36)
        return "chatter.\(Int64(date * 1000)).\(r)@\(domain)"
    }

    /// 128 random bits as 32 hex digits: the open-tracking pixel token.
    public static func pixelToken() -> String {
        var rng = SystemRandomNumberGenerator()
        let a = rng.next() as UInt64
        let b = rng.next() as UInt64
        return hex64(a) + hex64(b)
    }

    /// `v` as 16 hex digits.
    public static func hex64(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
