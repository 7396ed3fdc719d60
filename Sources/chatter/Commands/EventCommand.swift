import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// `chatter event`: applies one event to a tracking email by hand.
struct EventCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "event",
        abstract: "Apply one event by hand.",
        discussion: "TYPE is one of: " + EventType.manual.map(\.rawValue).joined(separator: " "))

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The tracking email's id.")
    var trackingId: Int64

    @Argument(help: "The event type.")
    var type: String

    @Option(name: .long, help: "When it happened (UTC epoch seconds, from 1990 to a day ahead; default now).")
    var at: Double?

    @Option(name: .long, help: "Clicked url.")
    var url: String?

    @Option(name: .long, help: "Error or bounce description.")
    var description: String?

    @Option(name: .long, help: "Bounce type (e.g. hard, soft, policy).")
    var bounceType: String?

    func run() throws {
        guard let type = EventType(name: type), EventType.manual.contains(type) else {
            throw CLIError.usage(
                "unknown event type \(type); use one of: " + EventType.manual.map(\.rawValue).joined(separator: " "))
        }
        let now = Date().timeIntervalSince1970
        if let at, let problem = EventTime.problem(at, now: now) { throw CLIError.usage("--at: \(problem)") }
        let store = try global.openStore()
        let at = self.at ?? now
        var details = EventDetails(url: url, bounceType: bounceType)
        switch type {
        case .hardBounce, .softBounce: details.bounceDescription = description
        case .sent, .delivered, .deferral, .open, .click, .spam, .unsub, .reject, .error, .retry:
            details.errorDescription = description
        }
        let key = "\(trackingId):\(type.rawValue):\(at):\(url ?? "")"
        let outcome = try store.apply(
            NewEvent(trackingId: trackingId, type: type, timestamp: at, source: "manual", key: key, details: details))
        let word: String
        switch outcome {
        case .applied: word = "applied"
        case .duplicate: word = "duplicate"
        case .suppressed: word = "suppressed"
        case .unknownTracking: throw CLIError.notFound("no tracking email with id \(trackingId)")
        }
        let row = try store.tracking(id: trackingId)
        if global.json {
            out(
                JSON.object([
                    ("tracking_id", .int(trackingId)), ("type", .string(type.rawValue)), ("outcome", .string(word)),
                    ("state", .str(row.state?.rawValue)),
                ]).text)
        } else {
            out("\(word): tracking \(trackingId) is \(Format.state(row.state))")
        }
    }
}
