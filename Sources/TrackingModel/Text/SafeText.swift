/// Makes untrusted text (names, subjects, bodies, error texts, log lines) safe to
/// put on a terminal: no C0 / C1 control, no escape sequence, no bidi override
/// and no carriage-return overwrite survives; each is shown visibly instead
/// (`^[` for ESC, `^M` for CR, `<U+202E>` for a bidi override). Invisible characters
/// that could hide text or make two strings look alike (zero-width space, word joiner,
/// BOM, tag characters) are shown the same way (`<U+200B>`). Invalid UTF-8
/// has already become U+FFFD when the bytes were decoded.
///
/// One function for every output (the front, the command line's tables), so
/// the rule is the same everywhere.
public enum SafeText {
    /// Whether line breaks survive.
    public enum Mode: Sendable {
        /// One line: line breaks and tabs become spaces.
        case line
        /// Several lines: `\n` is kept (CRLF becomes `\n`), tabs become spaces.
        case multiline
    }

    /// The sanitised text. Cheap when there is nothing to do.
    public static func clean(_ text: String, _ mode: Mode = .line) -> String {
        if isClean(text, mode) { return text }
        var out = String.UnicodeScalarView()
        out.reserveCapacity(text.unicodeScalars.count + 8)
        let scalars = Array(text.unicodeScalars)
        var i = 0
        while i < scalars.count {
            let s = scalars[i]
            let v = s.value
            switch v {
            case 0x0A:
                appendLineBreak(&out, mode)
            case 0x0D:
                if i + 1 < scalars.count, scalars[i + 1].value == 0x0A {
                    appendLineBreak(&out, mode)
                    i += 1
                } else {
                    out.append(contentsOf: "^M".unicodeScalars)
                }
            case 0x09:
                out.append(" ")
            case 0x2028, 0x2029:
                appendLineBreak(&out, mode)
            case 0x00..<0x20:
                out.append("^")
                out.append(Unicode.Scalar(UInt8(v + 0x40)))
            case 0x7F:
                out.append(contentsOf: "^?".unicodeScalars)
            case 0x80..<0xA0:
                out.append(contentsOf: visible(v).unicodeScalars)
            default:
                if isBidiControl(v) || isInvisible(v) {
                    out.append(contentsOf: visible(v).unicodeScalars)
                } else {
                    out.append(s)
                }
            }
            i += 1
        }
        return String(out)
    }

    /// True when `clean` would return the text unchanged.
    public static func isClean(_ text: String, _ mode: Mode = .line) -> Bool {
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x20 {
                if v == 0x0A && mode == .multiline { continue }
                return false
            }
            if v == 0x7F || (v >= 0x80 && v < 0xA0) || v == 0x2028 || v == 0x2029 || isBidiControl(v) || isInvisible(v) {
                return false
            }
        }
        return true
    }

    /// Bidi embedding, override, isolate and mark characters (Trojan Source).
    static func isBidiControl(_ v: UInt32) -> Bool {
        (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F
            || v == 0x061C
    }

    /// Characters with no glyph that carry no meaning in the text chatter shows (a zero-width
    /// joiner, which builds emoji and Indic letters, is kept): zero-width space, word joiner,
    /// BOM / zero-width no-break space, tag characters.
    static func isInvisible(_ v: UInt32) -> Bool {
        v == 0x200B || v == 0x2060 || v == 0xFEFF || (0xE0000...0xE007F).contains(v)
    }

    static func visible(_ v: UInt32) -> String {
        let hex = String(v, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    static func appendLineBreak(_ out: inout String.UnicodeScalarView, _ mode: Mode) {
        switch mode {
        case .line: out.append(" ")
        case .multiline: out.append("\n")
        }
    }
}

/// SQLite's C strings end at a NUL, so stored text never holds one: people's
/// input with a NUL is refused with a clear error, and a NUL in a foreign
/// signal (a log line, a provider's JSON) is stored as U+FFFD, visibly.
public enum StoredText {
    /// True when `text` can be stored as it is.
    public static func isStorable(_ text: String) -> Bool {
        !text.unicodeScalars.contains("\u{0}")
    }

    /// `text` with every NUL replaced by U+FFFD.
    public static func storable(_ text: String) -> String {
        isStorable(text) ? text : String(String.UnicodeScalarView(text.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 }))
    }
}

extension EventDetails {
    /// The details with every text storable (see `StoredText`).
    public var storable: EventDetails {
        var d = self
        for path in [\EventDetails.recipient, \.smtpServer, \.url, \.ip, \.userAgent, \.osFamily, \.uaFamily, \.uaType,
            \.country, \.errorType, \.errorDescription, \.errorDetails, \.bounceType, \.bounceDescription]
        {
            if let v = d[keyPath: path] { d[keyPath: path] = StoredText.storable(v) }
        }
        return d
    }
}
