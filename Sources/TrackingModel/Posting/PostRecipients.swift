import Foundation

/// A partner as posting reads it: identity, address, and whether it is mailed at all.
public struct PostPartner: Sendable, Hashable {
    public var id: Int64
    public var name: String
    public var email: String?
    public var normalized: String?
    /// False: the partner asked not to be mailed (no tracking row).
    public var notify: Bool

    public init(id: Int64, name: String, email: String?, normalized: String?, notify: Bool) {
        self.id = id
        self.name = name
        self.email = email
        self.normalized = normalized
        self.notify = notify
    }
}

/// One recipient of a post, in To-then-Cc order: a partner, a raw address, or both.
public struct PostRecipient: Sendable, Hashable {
    /// `to` or `cc`.
    public var kind: String
    public var partner: PostPartner?
    public var mailbox: Mailbox?

    /// The address mail goes to, normalized (nil: a partner without one).
    public var normalized: String? { partner?.normalized ?? mailbox?.normalized }

    /// As the chatter shows it: `Name <address>`, the partner's name alone, or the mailbox as typed.
    public var display: String {
        partner.map { p in p.email.map { "\(p.name) <\($0)>" } ?? p.name } ?? mailbox?.formatted ?? ""
    }
}

/// A post named a partner id that does not exist.
public struct UnknownPartner: Error, Sendable, Hashable {
    public var id: Int64
}

/// Who a post goes to (README "The rules"): partners by id first (To), then the To, then the
/// Cc addresses; our aliases are left out; a partner or an address met twice (To / Cc
/// duplicates, case variants) gives one recipient; an address of a known partner is that
/// partner (the oldest when several share it). Pure: a store looks the partners up first.
public enum PostRecipients {
    /// - Parameters:
    ///   - byId: the partners `partnerIds` name, by id.
    ///   - byAddress: the oldest partner of each normalized address in `to` and `cc`.
    public static func resolve(
        partnerIds: [Int64], to: [Mailbox], cc: [Mailbox], aliases: Set<String>, byId: [Int64: PostPartner],
        byAddress: [String: PostPartner]
    ) throws(UnknownPartner) -> [PostRecipient] {
        var resolved: [PostRecipient] = []
        var seenPartners = Set<Int64>()
        var seenAddresses = Set<String>()
        for pid in partnerIds {
            guard let p = byId[pid] else { throw UnknownPartner(id: pid) }
            if let n = p.normalized, aliases.contains(n) { continue }
            guard seenPartners.insert(p.id).inserted else { continue }
            if let n = p.normalized {
                guard seenAddresses.insert(n).inserted else { continue }
            }
            resolved.append(PostRecipient(kind: "to", partner: p, mailbox: nil))
        }
        for (kind, boxes) in [("to", to), ("cc", cc)] {
            for box in boxes {
                if aliases.contains(box.normalized) { continue }
                guard seenAddresses.insert(box.normalized).inserted else { continue }
                if let p = byAddress[box.normalized] {
                    guard seenPartners.insert(p.id).inserted else { continue }
                    resolved.append(PostRecipient(kind: kind, partner: p, mailbox: box))
                } else {
                    resolved.append(PostRecipient(kind: kind, partner: nil, mailbox: box))
                }
            }
        }
        return resolved
    }
}

/// A post request checked as every store checks it before writing anything: a subject
/// (trimmed), texts a store can hold (no NUL), To and Cc parsed as address lists.
public struct CheckedPost: Sendable {
    public var subject: String
    public var to: [Mailbox]
    public var cc: [Mailbox]

    /// Throws the refusal (in the words a user reads) of a request no store may write.
    public init(_ request: PostRequest) throws(PostRefusal) {
        subject = request.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty else { throw PostRefusal(message: "a message needs a subject") }
        for (what, text) in [("subject", subject), ("body", request.body), ("thread name", request.threadName ?? "")]
        where !StoredText.isStorable(text) {
            throw PostRefusal(message: "the \(what) contains a NUL character")
        }
        to = try Self.parse(request.to)
        cc = try Self.parse(request.cc)
    }

    private static func parse(_ lists: [String]) throws(PostRefusal) -> [Mailbox] {
        var out: [Mailbox] = []
        for text in lists {
            switch AddressParser.parseList(text) {
            case .success(let boxes): out += boxes
            case .failure(let e): throw PostRefusal(message: e.description)
            }
        }
        return out
    }
}

/// Why a post was refused before anything was written.
public struct PostRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
