import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The reverse proxies whose `X-Forwarded-For` is believed (`--trusted-proxy CIDR`,
/// `trusted_proxies` in `[serve]`). Behind a proxy every request comes from the proxy's
/// address, so without this all clients shared one rate-limit bucket. From any other peer the
/// header is ignored: a client could write anything in it.
public struct TrustedProxies: Sendable, Equatable {
    /// One network: its address bytes (4 or 16) and prefix length.
    struct Network: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var left = prefix
            for (a, b) in zip(address, bytes) where left > 0 {
                let bits = min(8, left)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                left -= bits
            }
            return true
        }
    }

    let networks: [Network]

    /// No proxy trusted.
    public init() { networks = [] }

    /// Parses `CIDR`s (`10.0.0.0/8`, `::1/128`, or a bare address for one host); nil and the
    /// first bad one's text in `bad` when one is not an address or prefix.
    public init?(_ cidrs: [String], bad: inout String?) {
        var parsed: [Network] = []
        for cidr in cidrs {
            let parts = cidr.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(parts.count), let bytes = Self.addressBytes(String(parts[0])) else {
                bad = cidr
                return nil
            }
            let width = bytes.count * 8
            let prefix = parts.count == 2 ? Int(parts[1]) : width
            guard let prefix, (0...width).contains(prefix) else {
                bad = cidr
                return nil
            }
            parsed.append(Network(bytes: bytes, prefix: prefix))
        }
        networks = parsed
    }

    public var isEmpty: Bool { networks.isEmpty }

    /// True when `ip` is in one of the trusted networks.
    public func contains(_ ip: String) -> Bool {
        guard !networks.isEmpty, let bytes = Self.addressBytes(ip) else { return false }
        return networks.contains { $0.contains(bytes) }
    }

    /// The client's address: `peer` itself unless it is a trusted proxy; then the right-most
    /// address of `X-Forwarded-For` (all its lines, in order) that is not a trusted proxy, as
    /// each proxy appends the address it saw. An entry that is not an IP address ends the walk
    /// at the last good hop; when every hop is trusted, the left-most one.
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard Self.addressBytes(hop) != nil else { return client }
            client = hop
            if !contains(hop) { return hop }
        }
        return client
    }

    /// The 4 or 16 bytes of an IPv4 or IPv6 address (an IPv4-mapped IPv6 address as IPv4).
    static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF { return Array(bytes[12...]) }
        return bytes
    }
}
