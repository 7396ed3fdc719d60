/// An RFC 3463 `class.subject.detail` code (`5.1.1`), read at byte level.
///
/// Only classes 2, 4 and 5 exist; subject and detail take one to three digits
/// (vendor details like `5.4.316` are fine).
public struct EnhancedStatus: Sendable, Hashable {
    public var klass: Int
    public var subject: Int
    public var detail: Int

    /// The code as `c.s.d`.
    public var text: String { "\(klass).\(subject).\(detail)" }

    /// Parses a code that is the whole string (spaces around allowed).
    public init?(parsing string: String) {
        let bytes = Array(string.utf8)
        var start = 0
        while start < bytes.count, bytes[start] == UInt8(ascii: " ") { start += 1 }
        guard let (code, end) = EnhancedStatus.scan(bytes, at: start) else { return nil }
        var rest = end
        while rest < bytes.count, bytes[rest] == UInt8(ascii: " ") { rest += 1 }
        guard rest == bytes.count else { return nil }
        self = code
    }

    /// Finds the first code in a text (`550 5.1.1 <x>`, `(#5.5.0)`), not part of a longer number.
    public init?(searching string: String) {
        self.init(searching: Array(string.utf8))
    }

    /// Finds the first code in bytes, not part of a longer number or dotted quad.
    init?(searching bytes: [UInt8]) {
        var i = 0
        while i < bytes.count {
            let boundary = i == 0 || !(asciiDigit(bytes[i - 1]) || bytes[i - 1] == UInt8(ascii: "."))
            if boundary, let (code, end) = EnhancedStatus.scan(bytes, at: i),
                end == bytes.count
                    || !(bytes[end] == UInt8(ascii: ".") && end + 1 < bytes.count && asciiDigit(bytes[end + 1]))
            {
                self = code
                return
            }
            i += 1
        }
        return nil
    }

    public init(klass: Int, subject: Int, detail: Int) {
        self.klass = klass
        self.subject = subject
        self.detail = detail
    }

    /// Scans `d.ddd.ddd` at `start`; class must be 2, 4 or 5.
    private static func scan(_ bytes: [UInt8], at start: Int) -> (EnhancedStatus, Int)? {
        guard start < bytes.count else { return nil }
        let klass = bytes[start]
        guard klass == UInt8(ascii: "2") || klass == UInt8(ascii: "4") || klass == UInt8(ascii: "5") else { return nil }
        var i = start + 1
        guard i < bytes.count, bytes[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard let (subject, afterSubject) = number(bytes, at: i) else { return nil }
        i = afterSubject
        guard i < bytes.count, bytes[i] == UInt8(ascii: ".") else { return nil }
        i += 1
        guard let (detail, afterDetail) = number(bytes, at: i) else { return nil }
        return (EnhancedStatus(klass: Int(klass - UInt8(ascii: "0")), subject: subject, detail: detail), afterDetail)
    }

    /// One to three digits at `start`.
    private static func number(_ bytes: [UInt8], at start: Int) -> (Int, Int)? {
        var value = 0
        var i = start
        while i < bytes.count, i - start < 3, asciiDigit(bytes[i]) {
            value = value * 10 + Int(bytes[i] - UInt8(ascii: "0"))
            i += 1
        }
        return i == start ? nil : (value, i)
    }
}

/// The class (2, 4 or 5) of the first basic SMTP reply code (`550 ...`, `said: 452 ...`) in the bytes, or nil.
func basicReplyClass(_ bytes: [UInt8]) -> Int? {
    var i = 0
    while i + 2 < bytes.count {
        let atStart = i == 0 || !asciiDigit(bytes[i - 1])
        let after = i + 3 < bytes.count ? bytes[i + 3] : UInt8(ascii: " ")
        if atStart, (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(bytes[i]), asciiDigit(bytes[i + 1]),
            asciiDigit(bytes[i + 2]), after == UInt8(ascii: " ") || after == UInt8(ascii: "-")
        {
            return Int(bytes[i] - UInt8(ascii: "0"))
        }
        i += 1
    }
    return nil
}

@inline(__always)
func asciiDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
