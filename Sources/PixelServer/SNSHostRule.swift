import Foundation

/// The only URLs `chatter serve` ever fetches for SNS (the signing certificate, the
/// SubscribeURL): `https://sns.<region>.amazonaws.com[.cn]/...`, no user info, default
/// port. Anything else is refused before any connection is made, so a forged message
/// cannot point the server at a certificate of its own or at an internal address.
public enum SNSHostRule {
    /// The URL when `text` passes the rule, else nil.
    public static func allowedURL(_ text: String) -> URL? {
        guard text.count <= 2048, let components = URLComponents(string: text),
            components.scheme?.lowercased() == "https", components.user == nil, components.password == nil,
            components.port == nil || components.port == 443, let host = components.host,
            isSNSHost(host), let url = components.url
        else { return nil }
        return url
    }

    /// True for `sns.<region>.amazonaws.com` and `sns.<region>.amazonaws.com.cn`, where the
    /// region is one DNS label of letters, digits and hyphens (case-insensitive, no trailing dot).
    public static func isSNSHost(_ host: String) -> Bool {
        let lower = host.lowercased()
        guard lower.hasPrefix("sns.") else { return false }
        let rest = lower.dropFirst(4)
        let region: Substring
        if rest.hasSuffix(".amazonaws.com") {
            region = rest.dropLast(".amazonaws.com".count)
        } else if rest.hasSuffix(".amazonaws.com.cn") {
            region = rest.dropLast(".amazonaws.com.cn".count)
        } else {
            return false
        }
        return !region.isEmpty && region.count <= 63
            && region.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
