/// One lexical piece of an address list (RFC 5322 §3.2), with its scalar offsets.
struct AddressToken {
    enum Kind {
        /// A run of atext and dots (`john.doe`, `bücher`, `Q.`); non-ASCII counts as atext (RFC 6532).
        case atom(String)
        /// A quoted string, quotes removed and quoted-pairs unescaped.
        case quoted(String)
        /// A domain literal's inside, without the brackets (`127.0.0.1`).
        case literal(String)
        /// A comment's text, outer parentheses removed, nested ones kept.
        case comment(String)
        case special(Special)
    }

    /// The structural characters the parser acts on.
    enum Special: Character {
        case lessThan = "<"
        case greaterThan = ">"
        case at = "@"
        case comma = ","
        case semicolon = ";"
        case colon = ":"
    }

    var kind: Kind
    /// Scalar offset of the first scalar.
    var start: Int
    /// Scalar offset just past the last scalar.
    var end: Int
    /// Whether white space separates this token from the previous one.
    var spaceBefore: Bool

    func isSpecial(_ special: Special) -> Bool {
        if case .special(let s) = kind { return s == special }
        return false
    }

    var isComment: Bool {
        if case .comment = kind { return true }
        return false
    }
}

/// A refusal from the tokenizer or the parser, at a scalar offset of the input.
struct AddressSyntaxError: Error {
    var offset: Int
    var reason: String
}

/// Splits address-list text into tokens. Iterative (no recursion), so deeply
/// nested comments cannot exhaust the stack.
enum AddressTokenizer {
    static func tokens(_ scalars: [Unicode.Scalar]) -> Result<[AddressToken], AddressSyntaxError> {
        var tokens: [AddressToken] = []
        var i = 0
        var space = false
        func fail(_ offset: Int, _ reason: String) -> Result<[AddressToken], AddressSyntaxError> {
            .failure(AddressSyntaxError(offset: offset, reason: reason))
        }
        while i < scalars.count {
            let s = scalars[i]
            if isControl(s) { return fail(i, controlReason(s)) }
            if isSpace(s) {
                space = true
                i += 1
                continue
            }
            let start = i
            let kind: AddressToken.Kind
            switch s {
            case "\"":
                switch delimited(scalars, from: i, close: "\"", nests: false, what: "quoted string") {
                case .success(let (text, next)):
                    kind = .quoted(text)
                    i = next
                case .failure(let error): return .failure(error)
                }
            case "(":
                switch delimited(scalars, from: i, close: ")", nests: true, what: "comment") {
                case .success(let (text, next)):
                    kind = .comment(text)
                    i = next
                case .failure(let error): return .failure(error)
                }
            case "[":
                switch literal(scalars, from: i) {
                case .success(let (text, next)):
                    kind = .literal(text)
                    i = next
                case .failure(let error): return .failure(error)
                }
            case ")", "]", "\\":
                return fail(i, "unexpected '\(s)'")
            default:
                if let special = AddressToken.Special(rawValue: Character(s)) {
                    kind = .special(special)
                    i += 1
                } else {
                    var text = String.UnicodeScalarView()
                    while i < scalars.count, isAtomScalar(scalars[i]) {
                        text.append(scalars[i])
                        i += 1
                    }
                    kind = .atom(String(text))
                }
            }
            tokens.append(AddressToken(kind: kind, start: start, end: i, spaceBefore: space))
            space = false
        }
        return .success(tokens)
    }

    /// A quoted string or a comment starting at `from` (the opening character):
    /// its unescaped text and the offset after the closing character.
    private static func delimited(
        _ scalars: [Unicode.Scalar], from: Int, close: Unicode.Scalar, nests: Bool, what: String
    ) -> Result<(String, Int), AddressSyntaxError> {
        let open = scalars[from]
        var text = String.UnicodeScalarView()
        var depth = 1
        var i = from + 1
        while i < scalars.count {
            let s = scalars[i]
            if isControl(s) { return .failure(AddressSyntaxError(offset: i, reason: controlReason(s))) }
            if s == "\\" {
                guard i + 1 < scalars.count else { break }
                let escaped = scalars[i + 1]
                if isControl(escaped) {
                    return .failure(AddressSyntaxError(offset: i + 1, reason: controlReason(escaped)))
                }
                text.append(escaped)
                i += 2
                continue
            }
            if s == close {
                depth -= 1
                if depth == 0 { return .success((String(text), i + 1)) }
            } else if nests && s == open {
                depth += 1
            }
            // Folding line breaks are not part of the content (RFC 5322 §3.2.2).
            if s != "\r" && s != "\n" { text.append(s) }
            i += 1
        }
        return .failure(AddressSyntaxError(offset: from, reason: "unterminated \(what)"))
    }

    /// A domain literal starting at `from` (the `[`): its inside without white space.
    private static func literal(_ scalars: [Unicode.Scalar], from: Int) -> Result<(String, Int), AddressSyntaxError> {
        var text = String.UnicodeScalarView()
        var i = from + 1
        while i < scalars.count {
            let s = scalars[i]
            if isControl(s) { return .failure(AddressSyntaxError(offset: i, reason: controlReason(s))) }
            switch s {
            case "]":
                return .success((String(text), i + 1))
            case "[", "\\":
                return .failure(AddressSyntaxError(offset: i, reason: "unexpected '\(s)' in domain literal"))
            default:
                if !isSpace(s) { text.append(s) }
                i += 1
            }
        }
        return .failure(AddressSyntaxError(offset: from, reason: "unterminated domain literal"))
    }

    /// C0 controls other than tab and line breaks, DEL, and C1 controls.
    static func isControl(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x09, 0x0A, 0x0D: return false
        case 0x00..<0x20, 0x7F..<0xA0: return true
        default: return false
        }
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\r" || s == "\n" || (!s.isASCII && s.properties.isWhitespace)
    }

    /// atext (RFC 5322 §3.2.3, extended to non-ASCII by RFC 6532) plus the dot.
    static func isAtomScalar(_ s: Unicode.Scalar) -> Bool {
        if isControl(s) || isSpace(s) { return false }
        if !s.isASCII { return true }
        return !"()<>[]:;@\\,\"".unicodeScalars.contains(s)
    }

    private static func controlReason(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "control character U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex)"
    }
}
