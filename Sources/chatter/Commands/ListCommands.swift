import ArgumentParser
import Foundation
import TrackingModel
import TermGrid
import TrackingStore

/// Prints the "more" hint after a full page.
func printNext(_ next: PageCursor?, json: Bool) {
    if let next, !json { err("more: --after \(next)") }
}

/// One recipient as the CLI shows it: ASCII marker, name, cc badge.
func recipientText(_ r: RecipientEntry) -> String {
    var s = "[\(r.marker.asciiGlyph(cause: r.cause))] \(r.name)"
    if r.cc && r.marker != .cc { s += " (cc)" }
    return s
}

/// A failed recipient's cause in words and its error text, else its state.
func failureText(_ r: RecipientEntry) -> String {
    FailureText.line(cause: r.cause, text: r.errorDescription) ?? humanStateName(r.state)
}

/// `chatter threads`.
struct ThreadsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "threads", abstract: "List threads, newest activity first, with failed counts.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var page: PageOptions

    @Flag(name: .long, help: "The \"Failed sent messages\" filter: only threads with failed messages.")
    var failed = false

    @Option(name: .long, help: "Only threads whose name contains this text.")
    var search: String?

    func run() throws {
        let store = try global.openReader()
        let result = try store.threads(failedOnly: failed, search: search, after: page.cursor(), limit: page.pageLimit)
        if global.json {
            out(JSON.array(result.rows.map { .object(JSONRows.thread($0)) }).text)
        } else {
            var t = Table("REF", "NAME", "FAILED", "MESSAGES", "LAST ACTIVITY")
            for th in result.rows {
                t.add([
                    th.ref.description, th.name, th.failedCount > 0 ? String(th.failedCount) : "", String(th.messageCount),
                    Format.date(th.lastActivity),
                ])
            }
            t.print()
        }
        printNext(result.next, json: global.json)
    }
}

/// `chatter thread MODEL/KEY`.
struct ThreadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "thread", abstract: "Show a thread's chatter: failed messages, then the history.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var page: PageOptions

    @Argument(help: "The thread, MODEL/KEY.")
    var ref: String

    func run() throws {
        guard let ref = ThreadRef(parsing: ref) else { throw CLIError.usage("want MODEL/KEY, got \(self.ref)") }
        let store = try global.openReader()
        let view = try store.thread(ref, after: page.cursor(), limit: page.pageLimit)
        if global.json {
            out(
                JSON.object(
                    JSONRows.thread(view.thread) + [
                        ("failed_messages", .array(view.failed.map { .int($0.id) })),
                        ("messages", .array(view.history.map(JSONRows.message))),
                    ]
                ).text)
            printNext(view.nextCursor, json: true)
            return
        }
        out(SafeText.clean("\(view.thread.name) · \(view.thread.ref) · \(view.thread.failedCount) failed"))
        if !view.failed.isEmpty {
            out("")
            out("Failed messages (\(view.failed.count))")
            for m in view.failed {
                out(SafeText.clean("  #\(m.id) \(m.author.name) · \(Format.date(m.date)) · \(m.subject)"))
                for r in m.failedRecipients {
                    out(SafeText.clean("    \(recipientText(r)): \(failureText(r))"))
                }
            }
        }
        out("")
        out("History")
        for m in view.history {
            let flag = m.isFailed ? "  [needs action]" : ""
            out(SafeText.clean("  #\(m.id) \(m.author.name) · \(Format.date(m.date)) · \(m.subject)\(flag)"))
            if !m.recipients.isEmpty {
                out(SafeText.clean("    " + m.recipients.map(recipientText).joined(separator: " · ")))
            }
            for line in m.body.split(separator: "\n", omittingEmptySubsequences: true).prefix(3) {
                out("    " + SafeText.clean(String(line)))
            }
        }
        printNext(view.nextCursor, json: false)
    }
}

/// `chatter failed`: the Failed mailbox of the current user.
struct FailedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "failed", abstract: "The Failed mailbox: failed messages of mine, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var page: PageOptions

    @Flag(name: .long, help: "Print only the count.")
    var count = false

    @Option(name: .long, help: "Group the failed recipients: cause,domain (one line per failure group).")
    var groupBy: String?

    @Option(name: .long, help: "Only messages with a failed recipient of this cause (a cause word, or unknown).")
    var cause: String?

    @Option(name: .long, help: "Only messages with a failed recipient at this receiving domain.")
    var domain: String?

    func validate() throws {
        if let groupBy, Set(groupBy.lowercased().split(separator: ",").map(String.init)) != ["cause", "domain"] {
            throw ValidationError("--group-by takes cause,domain")
        }
        if count, groupBy != nil || cause != nil || domain != nil {
            throw ValidationError("--count is the whole mailbox; it does not go with --group-by, --cause or --domain")
        }
    }

    @Option(name: .long, help: "Only messages with a failed recipient matching this text: name, address or domain, subject, sender, error or bounce text (a status code such as 5.1.1, a word of the reply).")
    var search: String?

    func run() throws {
        let store = try global.openReader()
        let me = try global.currentUser(reading: store)
        if count {
            let n = try store.failedCount(for: me.id)
            out(global.json ? JSON.object([("count", .int(Int64(n)))]).text : String(n))
            return
        }
        let filter = try FailureGroupOutput.filter(cause: cause, domain: domain)
        if groupBy != nil {
            FailureGroupOutput.print(
                try store.failureGroups(for: me.id, filter: filter ?? FailureFilter()), json: global.json)
            return
        }
        let result = try store.failedMessages(
            for: me.id, filter: filter, search: search, after: page.cursor(), limit: page.pageLimit)
        if global.json {
            out(JSON.array(result.rows.map(JSONRows.failed)).text)
        } else {
            var t = Table("ID", "DATE", "THREAD", "AUTHOR", "SUBJECT", "FAILED RECIPIENTS")
            for m in result.rows {
                // Every failed recipient on its own line under the message (a long list ends in "+N").
                let lines = Self.recipientLines(m.failedRecipients.map { "\(recipientText($0)): \(failureText($0))" })
                t.add([String(m.id), Format.date(m.date), m.threadName, m.author.name, m.subject, lines.first ?? ""])
                for line in lines.dropFirst() { t.add(["", "", "", "", "", line]) }
            }
            t.maxColumnWidth = 60
            t.print()
        }
        printNext(result.next, json: global.json)
    }
}

extension FailedCommand {
    /// Failed recipients shown per message; more are summed up as "+N more".
    static let recipientLimit = 8

    /// The failed recipients' lines of one message: all of them, or the first
    /// ones and "+N more failed recipients" (the JSON output lists every one).
    static func recipientLines(_ all: [String]) -> [String] {
        guard all.count > recipientLimit else { return all }
        let shown = all.prefix(recipientLimit - 1)
        return shown + ["+\(all.count - shown.count) more failed recipients"]
    }
}

/// `chatter trackings`.
struct TrackingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trackings", abstract: "List tracking emails, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var page: PageOptions

    @Option(name: .long, help: "Only this state (waiting, error, deferred, sent, delivered, opened, rejected, spam, unsub, bounced, soft-bounced), or failed: every failed state.")
    var state: String?

    @Option(name: .long, help: "Only rows to this address.")
    var recipient: String?

    @Option(name: .long, help: "Search recipient (name, address, domain), sender, subject, and the error and bounce texts (status codes, the reply).")
    var search: String?

    func run() throws {
        var filter = TrackingFilter(recipient: recipient, search: search)
        if state == "failed" {
            filter.failedOnly = true
        } else if let state {
            guard let s = TrackingState.parse(state) else {
                throw CLIError.usage("unknown state \(state) (or failed: every failed state)")
            }
            filter.state = s
        }
        let store = try global.openReader()
        let result = try store.trackings(filter, after: page.cursor(), limit: page.pageLimit)
        if global.json {
            out(JSON.array(result.rows.map(JSONRows.tracking)).text)
        } else {
            var t = Table("ID", "DATE", "STATE", "RECIPIENT", "SUBJECT", "ERROR")
            for r in result.rows {
                t.add([
                    String(r.id), Format.date(r.createdAt), Format.state(r.state), r.recipient, r.subject,
                    FailureText.line(cause: r.cause, text: r.bounceDescription ?? r.errorDescription) ?? "",
                ])
            }
            t.print()
        }
        printNext(result.next, json: global.json)
    }
}

/// `chatter events`.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "events", abstract: "List tracking events, newest first.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var page: PageOptions

    @Option(name: .long, help: "Only events of this tracking email.")
    var tracking: Int64?

    @Option(name: .long, help: "Only events of this type.")
    var type: String?

    func run() throws {
        var filter = EventFilter(trackingId: tracking)
        if let type {
            guard let t = EventType(name: type) else { throw CLIError.usage("unknown event type \(type)") }
            filter.type = t
        }
        let store = try global.openReader()
        let result = try store.events(filter, after: page.cursor(), limit: page.pageLimit)
        if global.json {
            out(JSON.array(result.rows.map(JSONRows.event)).text)
        } else {
            var t = Table("ID", "TIME", "TRACKING", "TYPE", "SOURCE", "DETAILS")
            for e in result.rows {
                let d = e.details
                let detail = [
                    e.machine ? "machine open" : nil, d.cause?.phrase, d.url, d.bounceDescription, d.errorDescription, d.ip,
                    d.uaFamily,
                ].compactMap { $0 }.joined(separator: " · ")
                t.add([String(e.id), Format.date(e.timestamp), String(e.trackingId), e.type.rawValue, e.source, detail])
            }
            t.print()
        }
        printNext(result.next, json: global.json)
    }
}

/// `chatter stats`.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Counts of the store.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try global.openStore(readOnly: true)
        let me = try? global.currentUser(store, create: false)
        let s = try store.stats(for: me?.id)
        let states: [TrackingState?] = [nil] + TrackingState.allCases.map { Optional($0) }
        if global.json {
            out(
                JSON.object([
                    ("partners", .int(Int64(s.partners))), ("threads", .int(Int64(s.threads))),
                    ("messages", .int(Int64(s.messages))), ("trackings", .int(Int64(s.trackings))),
                    ("events", .int(Int64(s.events))), ("failed_messages", .int(Int64(s.failedMessages))),
                    ("needs_action", .int(Int64(s.needsAction))), ("outbox_queued", .int(Int64(s.outboxQueued))),
                    ("states", .object(states.map { (Format.state($0), .int(Int64(s.trackingsByState[$0] ?? 0))) })),
                ]).text)
            return
        }
        out("partners         \(s.partners)")
        out("threads          \(s.threads)")
        out("messages         \(s.messages)")
        out("trackings        \(s.trackings)")
        out("events           \(s.events)")
        out("failed (mine)    \(s.failedMessages)")
        out("needs action     \(s.needsAction)")
        out("outbox queued    \(s.outboxQueued)")
        for st in states { out(DisplayWidth.pad("  \(Format.state(st))", to: 17) + String(s.trackingsByState[st] ?? 0)) }
    }
}
