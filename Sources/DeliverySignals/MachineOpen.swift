import Foundation
import MailFormat

/// Decides whether an open was made by a machine (image proxy, privacy prefetch,
/// scanner) rather than a person reading. Shared by every source.
public enum MachineOpen {
    /// User-agent fragments of known image proxies and prefetchers.
    public static let proxyUserAgents = [
        "googleimageproxy", "ggpht.com", "yahoomailproxy", "yahoo! slurp", "feedfetcher-google",
        "bingpreview", "microsoft office existence discovery",
    ]

    /// True when the provider flags the open (SendGrid `sg_machine_open`), the user
    /// agent is a known proxy, the user agent is Apple Mail Privacy Protection's bare
    /// `Mozilla/5.0`, or the IP starts with one of `networks` (user-maintained
    /// prefixes such as `17.` for Apple's proxy network).
    public static func isMachine(userAgent: String?, ip: String?, providerFlag: Bool?, networks: [String] = [])
        -> Bool
    {
        if providerFlag == true { return true }
        if let agent = userAgent?.lowercased() {
            if proxyUserAgents.contains(where: { MimeText.contains(agent, $0) }) { return true }
            if MimeText.trimmed(agent) == "mozilla/5.0" { return true }
        }
        if let ip, networks.contains(where: { !$0.isEmpty && ip.hasPrefix($0) }) { return true }
        return false
    }
}
