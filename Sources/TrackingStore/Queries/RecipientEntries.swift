import GRDB
import TrackingModel

/// Message views with their recipient entries (README "Markers").
extension TrackingStore {
    typealias TrackingBit = RecipientOrder.TrackingBit
    typealias RecipientBit = RecipientOrder.RecipientBit

    /// Message views with their recipient entries in the reference's order:
    /// three more cached statements whatever the number of messages (the ids
    /// travel as one JSON array parameter).
    static func messageViews(_ db: Database, bases: [MessageBase]) throws -> [MessageView] {
        guard !bases.isEmpty else { return [] }
        let idsJSON = "[" + bases.map { String($0.id) }.joined(separator: ",") + "]"
        var trackings: [Int64: [TrackingBit]] = Dictionary(minimumCapacity: bases.count)
        var addresses = Set<String>()
        do {
            let s = RawStatement(
                try db.cachedStatement(
                    sql: """
                        SELECT t.message_id, t.id, t.partner_id, t.recipient, t.address, t.is_cc, t.state, t.error_type,
                               COALESCE(t.bounce_description, t.error_description), p.name, t.cause
                        FROM trackings t LEFT JOIN partners p ON p.id = t.partner_id
                        WHERE t.message_id IN (SELECT value FROM json_each(?))
                        """))
            defer { s.reset() }
            s.bind(1, idsJSON)
            while try s.step(db) {
                let bit = TrackingBit(
                    id: s.int64(1) ?? 0, partnerId: s.int64(2), recipient: s.text(3) ?? "", address: s.text(4),
                    isCc: (s.int64(5) ?? 0) != 0, state: s.text(6).flatMap(TrackingState.init(rawValue:)),
                    errorType: s.text(7), errorText: s.text(8), partnerName: s.text(9),
                    cause: s.text(10).flatMap(FailureCause.init(rawValue:)))
                if let a = bit.address { addresses.insert(a) }
                trackings[s.int64(0) ?? 0, default: []].append(bit)
            }
        }
        var recipients: [Int64: [RecipientBit]] = Dictionary(minimumCapacity: bases.count)
        do {
            let s = RawStatement(
                try db.cachedStatement(
                    sql: """
                        SELECT r.message_id, r.position, r.kind, r.partner_id, r.address, r.display, p.name, p.email
                        FROM message_recipients r LEFT JOIN partners p ON p.id = r.partner_id
                        WHERE r.message_id IN (SELECT value FROM json_each(?))
                        """))
            defer { s.reset() }
            s.bind(1, idsJSON)
            while try s.step(db) {
                let bit = RecipientBit(
                    position: s.int64(1) ?? 0, isCc: s.text(2) == "cc", partnerId: s.int64(3), address: s.text(4),
                    display: s.text(5) ?? "", partnerName: s.text(6), partnerEmail: s.text(7))
                if let a = bit.address { addresses.insert(a) }
                recipients[s.int64(0) ?? 0, default: []].append(bit)
            }
        }
        var aliases = Set<String>()
        if !addresses.isEmpty {
            let s = RawStatement(
                try db.cachedStatement(sql: "SELECT address FROM aliases WHERE address IN (SELECT value FROM json_each(?))"))
            defer { s.reset() }
            s.bind(1, "[" + addresses.map(JSONText.string).joined(separator: ",") + "]")
            while try s.step(db) { if let a = s.text(0) { aliases.insert(a) } }
        }
        return bases.map { b in
            MessageView(
                id: b.id, threadId: b.threadId, thread: b.thread, threadName: b.threadName, messageId: b.messageId,
                author: b.author, date: b.date, subject: b.subject, body: b.body, needsAction: b.needsAction,
                recipients: recipientEntries(
                    trackings: (trackings[b.id] ?? []).sorted { $0.id < $1.id },
                    recipients: (recipients[b.id] ?? []).sorted { $0.position < $1.position }, aliases: aliases),
                sharedMail: b.sharedMail)
        }
    }

    static func recipientEntries(trackings: [TrackingBit], recipients: [RecipientBit], aliases: Set<String>)
        -> [RecipientEntry]
    {
        RecipientOrder.entries(trackings: trackings, recipients: recipients, aliases: aliases)
    }
}
