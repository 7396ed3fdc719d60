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

    @Option(name: .long, help: "Every failed message of mine in this failure group (CAUSE/DOMAIN).")
    var group: String?

    @Flag(name: .long, help: "Say which messages would be reviewed; write nothing.")
    var dryRun = false

    func validate() throws {
        let given = (messageIds.isEmpty ? 0 : 1) + (thread == nil ? 0 : 1) + (allMine ? 1 : 0) + (group == nil ? 0 : 1)
        if given != 1 {
            throw ValidationError("give message ids, or --thread MODEL/KEY, or --all-mine, or --group CAUSE/DOMAIN")
        }
    }

    func run() throws {
        let store = try global.openReviewStore(readOnly: dryRun)
        let me = try global.currentUser(store, create: !dryRun)
        let scope: ReviewScope
        if let thread {
            guard let ref = ThreadRef(parsing: thread) else { throw CLIError.usage("--thread wants MODEL/KEY") }
            scope = .thread(ref)
        } else if allMine {
            scope = .allMine
        } else if let group {
            scope = .group(try FailureGroupOutput.filter(group: group))
        } else {
            scope = .messages(messageIds)
        }
        let ids = dryRun ? try store.reviewPreview(scope, by: me.id) : try store.review(scope, by: me.id)
        let list = ids.map(String.init).joined(separator: " ")
        if global.json {
            out(JSON.object([("reviewed", .array(ids.map(JSON.int))), ("dry_run", .bool(dryRun))]).text)
        } else if ids.isEmpty {
            out("nothing to review")
        } else {
            out(dryRun ? "would review \(ids.count): \(list); dry run, nothing written" : "reviewed: " + list)
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
        let store = try global.openReviewStore()
        let me = try global.currentUser(store)
        let ids = try store.unreview(messageIds, by: me.id)
        if global.json {
            out(JSON.object([("unreviewed", .array(ids.map(JSON.int)))]).text)
        } else {
            out(ids.isEmpty ? "nothing to undo" : "need action again: " + ids.map(String.init).joined(separator: " "))
        }
    }
}
