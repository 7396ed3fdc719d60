import Foundation

/// One mailbox of an address list.
public struct Mailbox: Sendable, Hashable {
    /// Unquoted, unescaped, comments removed; nil when none.
    public var displayName: String?
    /// `local@domain` as written (domain may be Unicode); no angle brackets.
    public var address: String
    /// Canonical form for comparing and deduplicating: Unicode NFC, lower-cased,
    /// domain converted to ASCII (IDNA `xn--`), trailing dot removed.
    public var normalized: String
    /// RFC 5322 text to show or store as the raw recipient: `Name <a@b>` (name
    /// quoted when it needs it, e.g. `"Last, First" <a@b>`), or just `a@b`.
    public var formatted: String

    /// A mailbox from its parts, the same way the parser builds one.
    init(displayName: String?, spec: AddressSpec) {
        self.displayName = displayName
        address = spec.local + "@" + spec.domain
        normalized = spec.local.precomposedStringWithCanonicalMapping.lowercased() + "@" + spec.asciiDomain
        if let displayName {
            formatted = AddressText.phrase(displayName) + " <" + address + ">"
        } else {
            formatted = address
        }
    }
}

/// Why a text is not a valid address (list), and where.
public struct AddressError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The text that was parsed.
    public var input: String
    /// Character offset into `input` where the problem is.
    public var position: Int
    /// What is wrong, e.g. `missing domain`.
    public var reason: String

    public init(input: String, position: Int, reason: String) {
        self.input = input
        self.position = position
        self.reason = reason
    }

    /// One line, e.g. `invalid address "foo@": missing domain at 4`; the input is
    /// sanitised for the terminal and shortened when long.
    public var description: String {
        let limit = 100
        let shown = input.count > limit ? String(input.prefix(limit - 1)) + "…" : input
        return "invalid address \"\(SafeText.clean(shown))\": \(reason) at \(position)"
    }
}

/// Parses what people type in To and Cc (RFC 5322 address lists, RFC 6532
/// Unicode, IDNA domains) into mailboxes.
public enum AddressParser {
    /// Parses an address list as typed in To/Cc; group members are returned flat; empty string -> [].
    public static func parseList(_ text: String) -> Result<[Mailbox], AddressError> {
        parsed(text).map { $0.mailboxes.map(\.mailbox) }
    }

    /// Exactly one mailbox (e.g. `--to ADDR` or a partner's email); a list or a group is an error.
    public static func parseMailbox(_ text: String) -> Result<Mailbox, AddressError> {
        let list: AddressListParser.Parsed
        switch parsed(text) {
        case .success(let value): list = value
        case .failure(let error): return .failure(error)
        }
        let scalars = Array(text.unicodeScalars)
        if let group = list.firstGroupStart {
            return .failure(error(text, scalarOffset: group, "a group is not a single address"))
        }
        guard let first = list.mailboxes.first else {
            return .failure(error(text, scalarOffset: scalars.count, "empty address"))
        }
        if list.mailboxes.count > 1 {
            let second = list.mailboxes[1].start
            return .failure(error(text, scalarOffset: second, "expected one address, found \(list.mailboxes.count)"))
        }
        return .success(first.mailbox)
    }

    /// The canonical comparison form of a bare address (same rule as
    /// `Mailbox.normalized`); nil if invalid. A single `Name <addr>` is accepted too.
    public static func normalize(_ address: String) -> String? {
        try? parseMailbox(address).get().normalized
    }

    private static func parsed(_ text: String) -> Result<AddressListParser.Parsed, AddressError> {
        AddressListParser.parse(Array(text.unicodeScalars)).mapError {
            error(text, scalarOffset: $0.offset, $0.reason)
        }
    }

    private static func error(_ text: String, scalarOffset: Int, _ reason: String) -> AddressError {
        AddressError(input: text, position: characterOffset(text, scalarOffset), reason: reason)
    }

    /// The index of the character that holds the scalar at `scalarOffset`
    /// (the character count when it is at the end).
    static func characterOffset(_ text: String, _ scalarOffset: Int) -> Int {
        var scalars = 0
        var characters = 0
        for character in text {
            let next = scalars + character.unicodeScalars.count
            if next > scalarOffset { return characters }
            scalars = next
            characters += 1
        }
        return characters
    }
}

/// Spelling rules shared by the parser and ``Mailbox``.
enum AddressText {
    /// atext: printable ASCII except specials, or any non-ASCII (RFC 6532).
    static func isAtext(_ s: Unicode.Scalar) -> Bool {
        AddressTokenizer.isAtomScalar(s) && s != "."
    }

    /// `word(.word)*` with atext words: a local part that needs no quotes.
    static func isDotAtom(_ text: String) -> Bool {
        let words = text.unicodeScalars.split(separator: ".", omittingEmptySubsequences: false)
        return words.allSatisfy { !$0.isEmpty && $0.allSatisfy(isAtext) }
    }

    /// A quoted string with `"` and `\` escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for s in text.unicodeScalars {
            if s == "\"" || s == "\\" { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(s)
        }
        return out + "\""
    }

    /// A display name as an RFC 5322 phrase: as is when every word is an atom, else quoted.
    static func phrase(_ name: String) -> String {
        let words = name.unicodeScalars.split(separator: " ", omittingEmptySubsequences: false)
        let plain = words.allSatisfy { !$0.isEmpty && $0.allSatisfy(isAtext) }
        return plain ? name : quoted(name)
    }
}
