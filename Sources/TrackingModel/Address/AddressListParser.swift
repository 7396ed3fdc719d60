/// The address-list grammar (RFC 5322 §3.4) over tokens, as lenient as a mail
/// client's To field: `;` separates like `,` outside groups, empty items are
/// skipped, a comment stands in for a missing display name, and text before
/// `<` is taken as the name even when it holds an `@`.
struct AddressListParser {
    /// A mailbox with the scalar offset where its text starts.
    struct Located {
        var mailbox: Mailbox
        var start: Int
    }

    /// What a list held: its mailboxes in order (group members flattened) and
    /// where the first group started, if any.
    struct Parsed {
        var mailboxes: [Located] = []
        var firstGroupStart: Int?
    }

    private let tokens: [AddressToken]
    private let inputEnd: Int
    private var index = 0

    /// Parses the whole text.
    static func parse(_ scalars: [Unicode.Scalar]) -> Result<Parsed, AddressSyntaxError> {
        switch AddressTokenizer.tokens(scalars) {
        case .failure(let error):
            return .failure(error)
        case .success(let tokens):
            var parser = AddressListParser(tokens: tokens, inputEnd: scalars.count)
            return Result { () throws(AddressSyntaxError) in try parser.list() }
        }
    }

    private init(tokens: [AddressToken], inputEnd: Int) {
        self.tokens = tokens
        self.inputEnd = inputEnd
    }

    private mutating func list() throws(AddressSyntaxError) -> Parsed {
        var parsed = Parsed()
        while index < tokens.count {
            let token = tokens[index]
            if token.isSpecial(.comma) || token.isSpecial(.semicolon) {
                index += 1
            } else if let colon = groupColon() {
                if parsed.firstGroupStart == nil { parsed.firstGroupStart = token.start }
                parsed.mailboxes += try group(colon: colon)
            } else if let located = try mailboxItem() {
                parsed.mailboxes.append(located)
            }
        }
        return parsed
    }

    /// The index of the `:` when the item at `index` is a group (`Name: …;`).
    private func groupColon() -> Int? {
        for position in index..<tokens.count {
            guard case .special(let special) = tokens[position].kind else { continue }
            switch special {
            case .colon: return position
            case .lessThan, .greaterThan, .at, .comma, .semicolon: return nil
            }
        }
        return nil
    }

    private mutating func group(colon: Int) throws(AddressSyntaxError) -> [Located] {
        let nameTokens = tokens[index..<colon].filter { !$0.isComment }
        if nameTokens.isEmpty {
            throw AddressSyntaxError(offset: tokens[colon].start, reason: "missing group name")
        }
        index = colon + 1
        var members: [Located] = []
        while index < tokens.count {
            let token = tokens[index]
            if token.isSpecial(.semicolon) {
                index += 1
                return members
            }
            if token.isSpecial(.comma) {
                index += 1
            } else if let nested = groupColon() {
                throw AddressSyntaxError(offset: tokens[nested].start, reason: "nested group")
            } else if let located = try mailboxItem() {
                members.append(located)
            }
        }
        // A group left open at the end of the text is accepted, as mail clients do.
        return members
    }

    /// The mailbox at `index`, up to the next `,` or `;` outside angle brackets;
    /// nil when the item holds only comments.
    private mutating func mailboxItem() throws(AddressSyntaxError) -> Located? {
        let start = index
        var depth = 0
        while index < tokens.count {
            let token = tokens[index]
            if token.isSpecial(.lessThan) { depth += 1 }
            if token.isSpecial(.greaterThan) { depth = max(0, depth - 1) }
            if depth == 0 && (token.isSpecial(.comma) || token.isSpecial(.semicolon)) { break }
            index += 1
        }
        let item = tokens[start..<index]
        guard let first = item.first(where: { !$0.isComment }) else { return nil }
        let mailbox: Mailbox
        if let lessThan = item.firstIndex(where: { $0.isSpecial(.lessThan) }) {
            mailbox = try nameAddress(item, lessThan: lessThan)
        } else if let stray = item.first(where: { $0.isSpecial(.greaterThan) }) {
            throw AddressSyntaxError(offset: stray.start, reason: "unexpected '>'")
        } else {
            let spec = try addressSpec(item, end: item.last?.end ?? inputEnd)
            mailbox = Mailbox(displayName: Self.commentName(item), spec: spec)
        }
        return Located(mailbox: mailbox, start: first.start)
    }

    /// `phrase <addr-spec> (comment)`.
    private func nameAddress(_ item: ArraySlice<AddressToken>, lessThan: Int) throws(AddressSyntaxError) -> Mailbox {
        let phrase = item[item.startIndex..<lessThan]
        var name = ""
        for token in phrase {
            let text: String
            switch token.kind {
            case .atom(let atom): text = atom
            case .quoted(let quoted): text = quoted
            case .literal(let literal): text = "[\(literal)]"
            case .comment: continue
            case .special(let special):
                switch special {
                case .at: text = "@"
                case .lessThan, .greaterThan, .comma, .semicolon, .colon:
                    throw AddressSyntaxError(offset: token.start, reason: "unexpected '\(special.rawValue)'")
                }
            }
            if token.spaceBefore && !name.isEmpty { name += " " }
            name += text
        }

        let afterOpen = lessThan + 1
        guard let greaterThan = item[afterOpen...].firstIndex(where: { $0.isSpecial(.greaterThan) }) else {
            if let nested = item[afterOpen...].first(where: { $0.isSpecial(.lessThan) }) {
                throw AddressSyntaxError(offset: nested.start, reason: "nested angle brackets")
            }
            throw AddressSyntaxError(offset: item[lessThan].start, reason: "unterminated angle bracket")
        }
        let inside = item[afterOpen..<greaterThan]
        if let nested = inside.first(where: { $0.isSpecial(.lessThan) }) {
            throw AddressSyntaxError(offset: nested.start, reason: "nested angle brackets")
        }
        if !inside.contains(where: { !$0.isComment }) {
            throw AddressSyntaxError(offset: item[lessThan].start, reason: "empty address")
        }
        let spec = try addressSpec(inside, end: item[greaterThan].start)
        let trailing = item[(greaterThan + 1)...]
        if let stray = trailing.first(where: { !$0.isComment }) {
            throw AddressSyntaxError(offset: stray.start, reason: "unexpected text after '>'")
        }
        let displayName = Self.collapsed(name) ?? Self.commentName(phrase) ?? Self.commentName(trailing)
        return Mailbox(displayName: displayName, spec: spec)
    }

    /// `local-part @ domain`, comments ignored. `end` is where a missing part is reported.
    private func addressSpec(_ tokens: ArraySlice<AddressToken>, end: Int) throws(AddressSyntaxError) -> AddressSpec {
        let parts = tokens.filter { !$0.isComment }
        guard let at = parts.firstIndex(where: { $0.isSpecial(.at) }) else {
            throw AddressSyntaxError(offset: parts.last?.end ?? end, reason: "missing @")
        }
        let localTokens = parts[..<at]
        let domainTokens = parts[(at + 1)...]
        if localTokens.isEmpty {
            throw AddressSyntaxError(offset: parts[at].start, reason: "empty local part")
        }
        let local = try localPart(localTokens)
        guard let firstDomain = domainTokens.first else {
            throw AddressSyntaxError(offset: parts[at].end, reason: "missing domain")
        }
        let domain = try self.domain(domainTokens, first: firstDomain)
        return AddressSpec(local: local, domain: domain.written, asciiDomain: domain.ascii)
    }

    /// The local part in its canonical spelling: a dot-atom as is, anything else quoted.
    private func localPart(_ tokens: ArraySlice<AddressToken>) throws(AddressSyntaxError) -> String {
        var text = ""
        var quoted = false
        for (position, token) in zip(tokens.indices, tokens) {
            if token.spaceBefore && position != tokens.startIndex {
                throw AddressSyntaxError(offset: token.start, reason: "space in local part must be quoted")
            }
            switch token.kind {
            case .atom(let atom): text += atom
            case .quoted(let content):
                text += content
                quoted = true
            case .literal:
                throw AddressSyntaxError(offset: token.start, reason: "unexpected domain literal in local part")
            case .comment: continue
            case .special(let special):
                throw AddressSyntaxError(offset: token.start, reason: "unexpected '\(special.rawValue)'")
            }
        }
        if text.isEmpty {
            throw AddressSyntaxError(offset: tokens[tokens.startIndex].start, reason: "empty local part")
        }
        if AddressText.isDotAtom(text) { return text }
        if !quoted {
            throw AddressSyntaxError(offset: tokens[tokens.startIndex].start, reason: "misplaced dot in local part")
        }
        return AddressText.quoted(text)
    }

    /// The domain as written and in ASCII form.
    private func domain(
        _ tokens: ArraySlice<AddressToken>, first: AddressToken
    ) throws(AddressSyntaxError) -> (written: String, ascii: String) {
        if case .literal(let literal) = first.kind {
            if let extra = tokens.dropFirst().first {
                throw AddressSyntaxError(offset: extra.start, reason: "unexpected text after domain literal")
            }
            if literal.isEmpty {
                throw AddressSyntaxError(offset: first.start, reason: "empty domain literal")
            }
            return ("[\(literal)]", "[\(literal.lowercased())]")
        }
        var text = ""
        for token in tokens {
            if token.spaceBefore && token.start != first.start {
                throw AddressSyntaxError(offset: token.start, reason: "unexpected text after address")
            }
            switch token.kind {
            case .atom(let atom): text += atom
            case .quoted:
                throw AddressSyntaxError(offset: token.start, reason: "quoted text in domain")
            case .literal:
                throw AddressSyntaxError(offset: token.start, reason: "unexpected domain literal")
            case .comment: continue
            case .special(let special):
                throw AddressSyntaxError(offset: token.start, reason: "unexpected '\(special.rawValue)'")
            }
        }
        switch DomainName.asciiForm(text) {
        case .success(let ascii): return (text, ascii)
        case .failure(let problem):
            throw AddressSyntaxError(offset: first.start + problem.offset, reason: problem.reason)
        }
    }

    /// The comments of an item as a display name (Thunderbird's `a@b (Work)` → "Work").
    private static func commentName(_ tokens: ArraySlice<AddressToken>) -> String? {
        var texts: [String] = []
        for token in tokens {
            if case .comment(let text) = token.kind { texts.append(text) }
        }
        return collapsed(texts.joined(separator: " "))
    }

    /// White-space runs collapsed to one space and trimmed; nil when nothing is left.
    static func collapsed(_ text: String) -> String? {
        let words = text.unicodeScalars.split(whereSeparator: AddressTokenizer.isSpace)
        if words.isEmpty { return nil }
        return words.map { String(String.UnicodeScalarView($0)) }.joined(separator: " ")
    }
}

/// A parsed addr-spec before it becomes a ``Mailbox``.
struct AddressSpec {
    /// Canonical spelling of the local part (quoted only when it must be).
    var local: String
    /// The domain as typed, e.g. `Bücher.de`.
    var domain: String
    /// The domain in lower-case ASCII, trailing dot removed.
    var asciiDomain: String
}
