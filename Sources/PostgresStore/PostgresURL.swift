/// Parses `postgres://` / `postgresql://` URLs (libpq's connection URIs):
/// `postgres://[user[:password]@][host][:port][/database][?param=value&…]`.
enum PostgresURL {
    /// The parts a URL gives; what it leaves out comes from the environment.
    struct Parts: Equatable {
        var user: String?
        var password: String?
        var host: String?
        var port: Int?
        var database: String?
        var sslMode: String?
        var sslRootCert: String?
    }

    static let schemes = ["postgres", "postgresql"]

    /// The query parameters understood; any other is refused rather than silently ignored.
    static let parameters: Set<String> = [
        "sslmode", "sslrootcert", "host", "port", "user", "dbname", "password", "application_name", "connect_timeout",
    ]

    static func parse(_ text: String) throws(PostgresStoreError) -> Parts {
        guard let sep = text.range(of: "://"), schemes.contains(text[..<sep.lowerBound].lowercased()) else {
            throw .invalidLocation("not a postgres:// URL")
        }
        var rest = Substring(text[sep.upperBound...])
        var parts = Parts()
        if let q = rest.firstIndex(of: "?") {
            try parseQuery(rest[rest.index(after: q)...], into: &parts)
            rest = rest[..<q]
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            let db = try decode(rest[rest.index(after: slash)...])
            if !db.isEmpty { parts.database = db }
        }
        if let at = authority.lastIndex(of: "@") {
            let userInfo = authority[..<at]
            authority = authority[authority.index(after: at)...]
            if let colon = userInfo.firstIndex(of: ":") {
                parts.user = try nonEmpty(decode(userInfo[..<colon]))
                parts.password = try decode(userInfo[userInfo.index(after: colon)...])
            } else {
                parts.user = try nonEmpty(decode(userInfo))
            }
        }
        var hostText = authority
        var portText: Substring?
        if hostText.hasPrefix("[") {
            guard let close = hostText.firstIndex(of: "]") else { throw .invalidLocation("unclosed [ in the host") }
            let after = hostText[hostText.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                throw .invalidLocation("unexpected text after the host")
            }
            hostText = hostText[hostText.index(after: hostText.startIndex)..<close]
        } else if let colon = hostText.lastIndex(of: ":") {
            portText = hostText[hostText.index(after: colon)...]
            hostText = hostText[..<colon]
        }
        if let h = try nonEmpty(decode(hostText)), parts.host == nil { parts.host = h }
        if let portText, !portText.isEmpty, parts.port == nil { parts.port = try port(String(portText)) }
        return parts
    }

    private static func parseQuery(_ query: Substring, into parts: inout Parts) throws(PostgresStoreError) {
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = try decode(kv[0])
            let value = try kv.count > 1 ? decode(kv[1]) : ""
            guard parameters.contains(key) else {
                throw .invalidLocation(
                    "unknown parameter \(key) (known: \(parameters.sorted().joined(separator: ", ")))")
            }
            switch key {
            case "sslmode": parts.sslMode = value
            case "sslrootcert": parts.sslRootCert = value
            case "host": parts.host = value
            case "port": parts.port = try port(value)
            case "user": parts.user = value
            case "dbname": parts.database = value
            case "password": parts.password = value
            default: break  // application_name, connect_timeout: accepted, not used
            }
        }
    }

    static func port(_ text: String) throws(PostgresStoreError) -> Int {
        guard let p = Int(text), (1...65535).contains(p) else { throw .invalidLocation("port \(text) is not a port number") }
        return p
    }

    private static func nonEmpty(_ s: String) -> String? { s.isEmpty ? nil : s }

    /// Percent-decoding (`%40` → `@`); a broken escape is refused.
    static func decode(_ s: Substring) throws(PostgresStoreError) -> String {
        guard s.contains("%") else { return String(s) }
        var bytes: [UInt8] = []
        var i = s.utf8.startIndex
        let u = s.utf8
        while i < u.endIndex {
            let c = u[i]
            if c == UInt8(ascii: "%") {
                let h1 = u.index(after: i)
                guard h1 < u.endIndex, u.index(after: h1) < u.endIndex,
                    let v = UInt8(String(decoding: [u[h1], u[u.index(after: h1)]], as: UTF8.self), radix: 16)
                else { throw .invalidLocation("broken %-escape in the URL") }
                bytes.append(v)
                i = u.index(h1, offsetBy: 2)
            } else {
                bytes.append(c)
                i = u.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Percent-encodes what would break a URL's user or database part.
    static func escape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            let c = Character(Unicode.Scalar(b))
            if c.isASCII && (c.isLetter || c.isNumber || "-._~".contains(c)) {
                out.append(c)
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
