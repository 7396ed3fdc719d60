#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The cause a remote reply's wording names, read at byte level (ASCII lower-cased
/// text, memchr + memcmp per phrase): one table, tried in order, first hit wins.
///
/// Order matters: the most specific meaning comes first, so that "blocked using
/// zen.spamhaus.org" is a block list (not spam), "Sender address rejected: Domain
/// not found" is our sender refused (not an unknown host), and "Mailbox full, try
/// again later" is a full mailbox (not a rate limit).
enum FailureWording {
    /// The first cause whose phrase occurs in `lowered`, or nil.
    static func cause(in lowered: [UInt8]) -> FailureCause? {
        guard !lowered.isEmpty else { return nil }
        return lowered.withUnsafeBytes { haystack in
            for (cause, phrases) in table {
                for phrase in phrases where phrase.withUnsafeBytes({ contains(haystack, $0) }) { return cause }
            }
            return nil
        }
    }

    /// Whether `needle` occurs in `haystack` (memchr for the first byte, memcmp for the rest).
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Bool {
        guard let h = haystack.baseAddress, let n = needle.baseAddress, needle.count > 0 else { return needle.isEmpty }
        let first = Int32(needle[0])
        var i = 0
        while i + needle.count <= haystack.count {
            guard let hit = memchr(h + i, first, haystack.count - needle.count + 1 - i) else { return false }
            let at = h.distance(to: UnsafeRawPointer(hit))
            if memcmp(h + at, n, needle.count) == 0 { return true }
            i = at + 1
        }
        return false
    }

    /// ASCII lower-casing at byte level (the phrases are ASCII; other bytes stay as they are).
    static func lowered(_ text: String) -> [UInt8] {
        text.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }

    private static let table: [(FailureCause, [[UInt8]])] = phrases.map { ($0.0, $0.1.map { Array($0.utf8) }) }

    /// Phrases in the order they are tried.
    static let phrases: [(FailureCause, [String])] = [
        (.greylisted, ["greylist", "graylist", "grey-list", "gray-list", "grey list", "gray list"]),
        (.virus, ["virus", "malware", "infected", "trojan", "malicious attachment"]),
        (.noRelaying, [
            "relay access denied", "relaying denied", "relay denied", "relay not permitted", "not permitted to relay",
            "relaying not allowed", "not allowed to relay", "unable to relay", "we do not relay", "relay prohibited",
            "relaying prohibited", "no relaying", "relaying disallowed", "not a gateway",
        ]),
        (.blocked, [
            "spamhaus", "barracuda", "spamcop", "sorbs", "blacklist", "black list", "blocklist", "block list",
            "blocked using", "ip listed", "listed on", "listed at", "listed by", "is listed", "are listed", "rbl",
            "dnsbl", "client host rejected", "client host blocked", "reverse dns", "reverse lookup", "ptr record",
            "ptr resource", "rdns", "helo command rejected", "helo", "ehlo", "ip address blocked",
            "ip blocked", "banned sending ip", "ip reputation", "poor reputation", "bad reputation",
            "sender ip address rejected", "dynamic ip", "residential ip",
        ]),
        (.auth, [
            "spf", "dkim", "dmarc", "sender policy framework", "unauthenticated", "not authenticated",
            "authentication failed", "authentication credentials", "authentication required", "authentication is required",
            "arc validation",
        ]),
        (.spamContent, ["spam", "unsolicited", "junk mail", "bulk mail", "bulk email", "suspicious content"]),
        (.senderRejected, [
            "sender address rejected", "sender rejected", "sender was rejected", "sender verify failed", "sender verification failed",
            "invalid sender", "unroutable sender", "domain of sender address", "sender email address rejected",
            "sender domain", "bad sender", "sender not allowed", "sender denied", "sender is not allowed",
            "sender address is not valid", "from address rejected",
        ]),
        (.expired, [
            "message expired", "delivery time expired", "too long in queue", "retry timeout exceeded",
            "retry time not reached for any host", "could not be delivered within", "was not delivered within",
            "undeliverable for", "has been undeliverable", "queue.expired", "expired after",
        ]),
        (.mailboxFull, [
            "mailbox full", "mailbox is full", "mailbox has exceeded", "over quota", "overquota", "quota exceeded",
            "exceeded storage", "exceeds quota", "exceed quota", "exceeded quota", "exceeded the quota",
            "out of storage", "disk quota", "full mailbox", "mailbox size limit", "mailbox limit", "user's quota",
            "insufficient storage", "not enough storage", "no space left",
        ]),
        (.tooLarge, [
            "too large", "too big", "size limit", "message size exceeds", "exceeds size", "exceeds the size",
            "exceeded maximum size", "message length exceeds", "maximum message size", "size exceeds",
        ]),
        (.suspended, [
            "account disabled", "account is disabled", "account has been disabled", "mailbox disabled",
            "mailbox is disabled", "has been disabled", "is disabled", "suspended", "inactive", "deactivated",
            "account is locked", "account locked", "account expired", "account has expired", "mailbox is frozen",
            "not active",
        ]),
        (.hasMoved, ["has moved", "address has changed", "mailbox has been moved", "no longer valid at this"]),
        (.hostUnknown, [
            "host not found", "domain not found", "host or domain name not found", "no mx", "name service error",
            "unrouteable address", "unroutable address", "domain does not exist", "no such domain", "unknown domain",
            "nxdomain", "domain name not found", "host unknown", "unknown host", "could not be resolved",
            "no such host", "domain is invalid", "invalid domain",
        ]),
        (.notAccept, ["null mx", "does not accept mail", "accepts no mail", "not accept any mail", "nullmx"]),
        (.userUnknown, [
            "user unknown", "unknown user", "no such user", "does not exist", "recipient not found",
            "invalid recipient", "no mailbox", "mailbox unavailable", "recipnotfound", "recipientnotfound",
            "unknown recipient", "no such mailbox", "mailbox not found", "invalid mailbox", "user not found",
            "not a valid mailbox", "unknown address", "address unknown", "no such recipient", "recipient unknown",
            "bad destination mailbox", "addressee unknown", "invalid address", "no such address", "unknown local part",
            "not our customer", "user doesn't exist", "account does not exist", "no such account",
            "mailbox does not exist", "address does not exist", "user not known", "unknown mailbox", "not listed in",
        ]),
        (.rateLimited, [
            "too many connections", "too many messages", "too many mails", "too many emails", "too many recipients",
            "too many concurrent", "too many sessions", "too many errors", "rate limit", "ratelimit", "rate-limit",
            "throttl", "unusual rate", "sending rate", "exceeded the rate", "try again later", "try later",
            "please retry later", "temporarily deferred", "frequency",
        ]),
        (.mailerError, [
            "delivery program", "command failed", "pipe to", "procmail", "exit code", "exited with", "unknown mailer",
            "mailer error", "execution failed", "command died", "child process",
        ]),
        (.contentError, [
            "malformed", "invalid mime", "mime error", "mime structure", "mime part", "invalid header", "header error",
            "bad header", "message header", "header field", "header line",
            "rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822", "bare lf", "line too long", "8bit", "8-bit",
            "content error", "message format", "non-compliant",
        ]),
        (.syntaxError, [
            "syntax error", "command unrecognized", "unrecognized command", "bad sequence", "command not implemented",
            "not implemented", "unknown command", "invalid command",
        ]),
        (.systemError, [
            "system error", "internal error", "local error", "server error", "system failure", "configuration error",
            "insufficient system storage", "system full", "mail system full", "resources temporarily unavailable",
            "temporary failure", "temporary local problem", "service unavailable", "service not available",
            "system is busy", "server busy",
        ]),
        (.network, [
            "connection refused", "timed out", "timeout", "connection reset", "lost connection",
            "network is unreachable", "no route to host", "connection closed", "too many hops", "mail loop",
            "loop detected", "routing loop", "loops back", "tls", "ssl", "certificate", "handshake", "connection dropped",
            "broken pipe", "host unreachable", "unreachable",
        ]),
        (.filtered, [
            "filter", "list of senders", "not on the list", "rejected by recipient", "recipient's preferences",
            "blocked by the recipient", "blocked by recipient", "does not accept messages from",
            "not accepting messages from", "content rejected",
        ]),
        (.policy, [
            "policy", "not allowed", "prohibited", "administrative", "not authorized", "denied", "refused",
            "rejected for", "blocked",
        ]),
        (.onHold, ["on hold", "held for"]),
    ]
}
