import ArgumentParser
import ChatterRuntime
import Foundation
import Glibc
import PostgresStore
import TrackingModel
import TrackingStore

/// `chatter ui` (and `chatter` alone): the terminal front on the store.
struct UICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "Open the terminal front (the default when no subcommand is given).")

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "ASCII markers and borders only (also chosen by a non-UTF-8 locale).")
    var ascii = false

    @Flag(name: .long, help: "No colour: glyphs with bold / underline / reverse only (as NO_COLOR).")
    var mono = false

    @Option(name: .long, help: "Write frame and key-latency timings to this file (for benchmarks).")
    var traceFile: String?

    @Flag(name: .long, help: "Apply plausible demo events every few seconds (for the demo store).")
    var liveDemo = false

    @OptionGroup var smtp: SMTPOptions
    @OptionGroup var mailMode: MailModeOptions

    func run() throws {
        let runStart = FrameTrace.monotonicNs()
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw CLIError.usage("the front needs a terminal (stdin and stdout on a tty); use the subcommands in scripts")
        }
        do {
            let trace = try traceFile.map { try FrameTrace(path: $0, runStart: runStart) }
            let (store, changes, sendLock) = try openFrontStore()
            let (keymap, keymapErrors) = KeysConfig.load(path: KeysConfig.path())
            // Every bad line, where it stays readable after the front closes (help lists them too).
            for error in keymapErrors { err(SafeText.clean("chatter: \(error)")) }
            var config = FrontConfiguration(me: try Self.me(global, store), keymap: keymap, keymapErrors: keymapErrors)
            config.sendLockPath = sendLock
            config.ascii = ascii
            config.mono = mono
            config.liveDemo = liveDemo
            // A config the sender cannot read leaves the front working (the sender stays off); the flag still counts.
            config.sharedMail = try mailMode.sharedMail((try? smtp.file()) ?? SMTPConfigFile())
            config.sender = smtp.senderSetup()
            let ui = try UIConfigFile.load()
            config.setBanner(threshold: ui.bannerThreshold, windowMinutes: ui.bannerWindowMinutes)
            try Front.runInTerminal(store: store, changes: changes, configuration: config, trace: trace)
        } catch let error as FrontError {
            throw CLIError.usage(error.description)
        } catch {
            throw StoreLocationChoice.cliError(error)
        }
    }

    /// The store `--db` names, with its change source and the send lock the background
    /// sender takes: a PostgreSQL server (notifications, several senders allowed) or a
    /// store file (`PRAGMA data_version`, one sender per file).
    private func openFrontStore() throws -> (store: any FrontStore, changes: any ChangeSource, sendLock: String?) {
        if case .postgres(let settings) = try global.storeLocation, let store = try global.openPostgresStore(create: false) {
            return (store, PostgresChangeSource(settings: settings), nil)
        }
        let store = try global.openStore()
        return (store, try DataVersionChangeSource(path: store.path), store.path)
    }

    /// "me": found without writing when the partner exists (a write would wait on
    /// another process's transaction at start-up); made a user on first use otherwise.
    static func me(_ global: GlobalOptions, _ store: any PostingRole) throws -> PartnerRef {
        do {
            return try global.currentUser(store, create: false)
        } catch CLIError.notFound {
            return try global.currentUser(store, create: true)
        }
    }
}
