import ArgumentParser
import Foundation
import TrackingStore

/// `chatter quarantine`: input the poller could not parse.
struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "List input that could not be parsed (latest first).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "At most this many rows.")
    var limit: Int = 100

    func run() throws {
        let rows = try global.openStore(readOnly: true).quarantined(limit: max(1, limit))
        if global.json {
            for r in rows {
                out(
                    JSON.object([
                        ("id", .int(r.id)), ("source", .string(r.item.source)), ("path", .string(r.item.path)),
                        ("position", .string(r.item.position)), ("reason", .string(r.item.reason)),
                        ("excerpt", .string(r.item.excerpt)), ("count", .int(Int64(r.count))),
                        ("first_seen", .number(r.firstSeen)), ("last_seen", .number(r.lastSeen)),
                    ]).text)
            }
            return
        }
        var t = Table("ID", "LAST SEEN", "SOURCE", "PATH", "POSITION", "COUNT", "REASON", "EXCERPT")
        for r in rows {
            t.add([
                String(r.id), Format.date(r.lastSeen), r.item.source, r.item.path, r.item.position, String(r.count),
                r.item.reason, String(r.item.excerpt.prefix(60)),
            ])
        }
        t.print()
    }
}

/// `chatter unmatched`: events that tied to no tracking email.
struct UnmatchedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unmatched", abstract: "List events that tied to no tracking email, with why (latest first).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "At most this many rows.")
    var limit: Int = 100

    func run() throws {
        let rows = try global.openStore(readOnly: true).unmatched(limit: max(1, limit))
        if global.json {
            for r in rows {
                let e = r.event
                out(
                    JSON.object([
                        ("id", .int(r.id)), ("source", .string(e.source)), ("path", .string(e.path)),
                        ("type", .string(e.type)), ("timestamp", .number(e.timestamp)), ("recipient", .str(e.recipient)),
                        ("status", .str(e.status)), ("bounce_type", .str(e.bounceType)),
                        ("event_reason", .str(e.eventReason)), ("description", .str(e.description)),
                        ("message_id", .str(e.keys.messageId)), ("tracking_id", .str(e.keys.trackingId)),
                        ("queue_id", .str(e.keys.queueId)), ("envelope_id", .str(e.keys.envelopeId)),
                        ("verp_token", .str(e.keys.verpToken)), ("provider_message_id", .str(e.keys.providerMessageId)),
                        ("reason", .string(e.reason)),
                    ]).text)
            }
            return
        }
        var t = Table("ID", "DATE", "SOURCE", "TYPE", "RECIPIENT", "MESSAGE-ID", "REASON")
        for r in rows {
            let e = r.event
            t.add([
                String(r.id), Format.date(e.timestamp), e.source, e.type, e.recipient ?? "", e.keys.messageId ?? "",
                e.reason,
            ])
        }
        t.print()
    }
}
