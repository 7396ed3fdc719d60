import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// `chatter post`: posts a message to a thread as the current user.
struct PostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post", abstract: "Post a message to a thread; prints the new message id.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The thread, MODEL/KEY (created on first use).")
    var thread: String

    @Option(name: .long, help: "Display name of the thread.")
    var threadName: String?

    @Option(name: .long, help: "A To address or address list (repeatable).")
    var to: [String] = []

    @Option(name: .long, help: "A Cc address or address list (repeatable).")
    var cc: [String] = []

    @Option(name: .long, help: "A partner recipient by id (repeatable; also a partner without address).")
    var partner: [Int64] = []

    @Option(name: .long, help: "Subject.")
    var subject: String

    @Option(name: .long, help: "Body text.")
    var body: String?

    @Option(name: .long, help: "Read the body from a file, or - for standard input.")
    var bodyFile: String?

    @Flag(name: .long, help: "Record the message without tracking (not sent by chatter).")
    var noTrack = false

    @Flag(name: .long, help: "Queue the mail in the outbox (one per recipient, or one with --one-mail) for `chatter send`.")
    var send = false

    @OptionGroup var mailMode: MailModeOptions

    func validate() throws {
        if (body == nil) == (bodyFile == nil) { throw ValidationError("give exactly one of --body or --body-file") }
        if send && noTrack { throw ValidationError("--send and --no-track exclude each other") }
        if mailMode.oneMail != nil && !send { throw ValidationError("--one-mail / --no-one-mail go with --send") }
    }

    func run() throws {
        do { try post() } catch { throw StoreLocationChoice.cliError(error) }
    }

    private func post() throws {
        guard let ref = ThreadRef(parsing: thread) else { throw CLIError.usage("--thread wants MODEL/KEY, got \(thread)") }
        let text: String
        if let body {
            text = body
        } else if bodyFile == "-" {
            text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        } else if let path = bodyFile {
            guard let data = FileManager.default.contents(atPath: path) else { throw CLIError.usage("cannot read \(path)") }
            text = String(decoding: data, as: UTF8.self)
        } else {
            text = ""
        }
        let store: any PostingRole
        if let postgres = try global.openPostgresStore(create: true) { store = postgres } else { store = try global.openStore(create: true) }
        let me = try global.currentUser(store)
        let request = PostRequest(
            thread: ref, threadName: threadName, authorId: me.id, to: to, cc: cc, partnerIds: partner,
            subject: subject, body: text, tracked: !noTrack)
        let result =
            send
            ? try store.postAndQueue(request, sharedMail: try mailMode.sharedMail(try SMTPConfigFile.load())).post
            : try store.post(request)
        if global.json {
            out(
                JSON.object([
                    ("message_id", .int(result.id)), ("rfc_message_id", .string(result.messageId)),
                    (
                        "trackings",
                        .array(
                            result.trackings.map {
                                .object([
                                    ("id", .int($0.id)), ("recipient", .string($0.recipient)), ("address", .str($0.address)),
                                    ("partner_id", .id($0.partnerId)), ("state", .str($0.state?.rawValue)),
                                    ("error_type", .str($0.errorType)),
                                ])
                            })
                    ),
                ]).text)
        } else {
            out(String(result.id))
        }
    }
}
