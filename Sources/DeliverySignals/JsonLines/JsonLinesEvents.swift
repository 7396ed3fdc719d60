import Foundation
import TrackingModel

/// Our own event format for any source chatter has no parser for: JSON lines.
///
/// One JSON object per line (UTF-8, `\n` or `\r\n`); blank lines and lines starting
/// with `#` are skipped. Fields:
///
/// | field | required | meaning |
/// |---|---|---|
/// | `type` | yes | an event type: `sent`, `delivered`, `deferral`, `hard_bounce`, `soft_bounce`, `open`, `click`, `spam`, `unsub`, `reject`, `error` |
/// | `timestamp` | yes | epoch seconds (number or string, fractions allowed) or RFC 3339 (`2026-11-25T11:49:10Z`, `...+01:00`) |
/// | `tracking_id` | one of these ties it back | our tracking id (the `X-Chatter-Tracking-ID` header value) |
/// | `message_id` | | the RFC 5322 Message-ID (`<>` optional) |
/// | `recipient` | | the recipient address (matches with `message_id`) |
/// | `status` | no | RFC 3463 enhanced status (`5.1.1`) |
/// | `description` | no | human text: the remote reply, the reason |
/// | `bounce_type` | no | `hard` / `soft`; defaults from `type` for bounces |
/// | `cause` | no | a cause word (`user_unknown`, `mailbox_full`, `blocked`...); read from `status` / `description` when absent (a `hard_bounce` with nothing to read is `user_unknown`) |
/// | `reason` | no | older name of `cause`: used when it is a cause word |
/// | `url` | no | the clicked URL (click) |
/// | `ip`, `user_agent` | no | of an open or click; a known image proxy makes the open a machine open |
/// | `machine` | no | `true` marks an open as a machine open |
/// | `key` | no | a unique id of the event; the same key twice is applied once. Default: a fingerprint of the line |
///
/// Example:
/// ```
/// {"type":"hard_bounce","timestamp":"2026-11-25T11:49:10Z","tracking_id":"7f3c2a9e","recipient":"bad@example.net","status":"5.1.1","description":"550 5.1.1 no such user"}
/// {"type":"open","timestamp":1795607400,"tracking_id":"7f3c2a9e","ip":"203.0.113.50","user_agent":"Mozilla/5.0 (X11; Linux x86_64)","key":"pixel-42"}
/// ```
/// A line that is not a JSON object, has no known `type` or no readable `timestamp`
/// is quarantined with its line number (`line N`).
public enum JsonLinesEvents {
    /// Parses a JSON-lines file: one event per line, bad lines quarantined as `line N`.
    public static func parse<C: Collection<UInt8>>(_ data: C, path: String) -> IngestBatch {
        let bytes = Array(data)
        var batch = IngestBatch()
        var lineNumber = 0
        var cursor = 0
        while cursor < bytes.count {
            lineNumber += 1
            let end = bytes[cursor...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            var line = bytes[cursor..<end]
            cursor = end + 1
            while let last = line.last, last == UInt8(ascii: "\r") || last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") {
                line = line.dropLast()
            }
            while let first = line.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { line = line.dropFirst() }
            if line.isEmpty || line.first == UInt8(ascii: "#") { continue }
            let position = "line \(lineNumber)"
            do {
                batch.events.append(try event(line, path: path))
            } catch {
                batch.quarantined.append(
                    QuarantineItem(
                        source: SignalSource.jsonLines.rawValue, path: path, position: position, reason: error.reason,
                        excerpt: String(decoding: line.prefix(200), as: UTF8.self)))
            }
        }
        return batch
    }

    static func event(_ line: ArraySlice<UInt8>, path: String) throws(JSONItemProblem) -> ParsedEvent {
        typealias J = JSONDocument
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? J.Object else {
            throw JSONItemProblem("not a JSON object")
        }
        guard let typeName = J.string(object, "type") else { throw JSONItemProblem("missing type") }
        guard let type = EventType(name: typeName), type != .retry else {
            throw JSONItemProblem("unknown type \(typeName)")
        }
        let timestamp = try J.requiredTime(object["timestamp"], "timestamp")
        let ip = J.string(object, "ip")
        let userAgent = J.string(object, "user_agent")
        let bounceType = try J.string(object, "bounce_type").map { word throws(JSONItemProblem) in
            guard let given = BounceType(rawValue: word) else { throw JSONItemProblem("unknown bounce_type \(word)") }
            return given
        } ?? BounceType(of: type)
        let cause = try cause(object, type: type)
        let builder = ParsedEventBuilder(
            source: .jsonLines, path: path, timestamp: timestamp,
            tieBack: TieBackKeys(
                trackingId: J.string(object, "tracking_id"), messageId: DsnAddress.messageId(J.string(object, "message_id"))))
        let machine = type == .open
            && MachineOpen.isMachine(userAgent: userAgent, ip: ip, providerFlag: J.bool(object, "machine"))
        return builder.make(
            .event(type), key: J.string(object, "key") ?? "sha:" + ByteFingerprint.hex(line),
            recipient: J.string(object, "recipient"), status: J.string(object, "status"),
            description: J.string(object, "description"), bounceType: bounceType, cause: cause,
            machine: machine, details: EventDetails(url: J.string(object, "url"), ip: ip, userAgent: userAgent))
    }

    /// The cause a line gives (`cause`, or a cause word in the older `reason`); for a
    /// `hard_bounce` that gives nothing readable, `user_unknown`; else nil (read later).
    static func cause(_ object: JSONDocument.Object, type: EventType) throws(JSONItemProblem) -> FailureCause? {
        typealias J = JSONDocument
        if let word = J.string(object, "cause") {
            guard let cause = FailureCause(word: word) else { throw JSONItemProblem("unknown cause \(word)") }
            return cause
        }
        if let cause = J.string(object, "reason").flatMap(FailureCause.init(word:)) { return cause }
        guard type == .hardBounce else { return nil }
        let read = FailureClassifier.cause(status: J.string(object, "status"), text: J.string(object, "description"))
        return read == .other ? .userUnknown : read
    }
}
