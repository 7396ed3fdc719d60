/// The name of our tracking header in outgoing mail (its value is the tracking
/// row's id), shared by the sender that writes it and the parsers that read it back.
public let trackingHeaderName = "X-Chatter-Tracking-ID"

/// The open-tracking pixel's URL: `BASE/t/<tracking id>/<token>/blank.gif`
/// (`BASE/t/<tracking id>/blank.gif` for a legacy row without token). Built by
/// the sender and `chatter trackings --json`, parsed by `chatter serve`.
public enum PixelLink {
    /// The path of a row's pixel.
    public static func path(trackingId: Int64, token: String?) -> String {
        if let token, !token.isEmpty { return "/t/\(trackingId)/\(token)/blank.gif" }
        return "/t/\(trackingId)/blank.gif"
    }

    /// The full URL under a base URL (a trailing slash on the base is ignored).
    public static func url(base: String, trackingId: Int64, token: String?) -> String {
        var b = Substring(base)
        while b.hasSuffix("/") { b = b.dropLast() }
        return String(b) + path(trackingId: trackingId, token: token)
    }

    /// The tracking id and token a request path names, or nil when it is not a pixel path.
    /// The token must be 1 to 64 hex digits; anything else is not a pixel path.
    public static func parse(path: String) -> (trackingId: Int64, token: String?)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4 || parts.count == 5, parts[0].isEmpty, parts[1] == "t", parts.last == "blank.gif",
            let id = Int64(parts[2]), id > 0
        else { return nil }
        guard parts.count == 5 else { return (id, nil) }
        let token = parts[3]
        guard (1...64).contains(token.utf8.count), token.utf8.allSatisfy({ isHexDigit($0) }) else { return nil }
        return (id, String(token))
    }

    private static func isHexDigit(_ c: UInt8) -> Bool {
        (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70)
    }
}
