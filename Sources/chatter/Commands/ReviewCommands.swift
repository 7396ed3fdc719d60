import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// `chatter review`: Set as reviewed.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review", abstract: "Set failed messages as reviewed (they leave the Failed mailbox).")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Message ids.")
    var messageIds: [Int64] = []

    @Option(name: .long, help: "Every failed message of this thread (MODEL/KEY).")
    var thread: String?

    @Flag(name: .long, help: "Every failed message of mine.")
    var allMine = false

    func validate() throws {
        let given = (messageIds.isEmpty ? 0 : 1) + (thread == nil ? 0 : 1) + (allMine ? 1 : 0)
        if given != 1 { throw ValidationError("give message ids, or --thread MODEL/KEY, or --all-mine") }
    }

    func run() throws {
        let store = try global.openStore()
        let me = try global.currentUser(store)
        let scope: ReviewScope
        if let thread {
            guard let ref = ThreadRef(parsing: thread) else { throw CLIError.usage("--thread wants MODEL/KEY") }
            scope = .thread(ref)
        } else if allMine {
            scope = .allMine
        } else {
            scope = .messages(messageIds)
        }
        let ids = try store.review(scope, by: me.id)
        if global.json {
            out(JSON.object([("reviewed", .array(ids.map(JSON.int)))]).text)
        } else {
            out(ids.isEmpty ? "nothing to review" : "reviewed: " + ids.map(String.init).joined(separator: " "))
        }
    }
}

/// `chatter unreview`: undo of Set as reviewed.
struct UnreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unreview", abstract: "Undo a review: the messages need action again.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Message ids.")
    var messageIds: [Int64]

    func run() throws {
        let store = try global.openStore()
        let me = try global.currentUser(store)
        let ids = try store.unreview(messageIds, by: me.id)
        if global.json {
            out(JSON.object([("unreviewed", .array(ids.map(JSON.int)))]).text)
        } else {
            out(ids.isEmpty ? "nothing to undo" : "need action again: " + ids.map(String.init).joined(separator: " "))
        }
    }
}
