import ArgumentParser
import ChatterUI
import EventIngest
import CursesTerminal
import Foundation
import Glibc
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
        let trace = try traceFile.map { try FrameTrace(path: $0, runStart: runStart) }
        let store = try global.openStore()
        let me = try Self.me(global, store)
        let (keymap, keymapErrors) = KeysConfig.load(path: KeysConfig.path())

        let inbox = try Inbox()
        let watcher = try StoreWatcher(path: store.path, inbox: inbox)
        // A config the sender cannot read leaves the front working (FrontSender stays off); the flag still counts.
        let sharedMail = try mailMode.sharedMail((try? smtp.file()) ?? SMTPConfigFile())
        let runner = EffectRunner(
            store: store, me: me, inbox: inbox, sharedMail: sharedMail, afterWrite: { watcher.poke() })
        let demo = liveDemo ? LiveDemo(store: store, me: me, afterWrite: { watcher.poke() }) : nil

        let terminal = try CursesTerminal(options: .init(monochrome: mono))
        let env = ProcessInfo.processInfo.environment
        let colorMode = ColorMode.choose(
            terminalColors: terminal.colorCount, noColor: !(env["NO_COLOR"] ?? "").isEmpty, mono: mono)
        terminal.setPalette(Dictionary(Theme(mode: colorMode).table, uniquingKeysWith: { first, _ in first }))
        let display = DisplayOptions(
            ascii: ascii || !terminal.isUTF8Locale, colorMode: colorMode, utcOffset: TimeZone.current.secondsFromGMT())
        let state = AppState(me: me, size: terminal.size, keymap: keymap, display: display)

        watcher.start()
        demo?.start()
        let poller = FrontPoller(store: store, configPath: PollerConfig.defaultPath, inbox: inbox)
        let sender = BackgroundSender(store: store, smtp: smtp)
        let loop = FrontLoop(terminal: terminal, state: state, inbox: inbox, runner: runner, me: me, trace: trace)
        loop.run(keymapErrors: keymapErrors)
        sender.stop()
        poller.stop()
        demo?.stop()
        watcher.stop()
        terminal.restore()
    }

    /// "me": found without writing when the partner exists (a write would wait on
    /// another process's transaction at start-up); made a user on first use otherwise.
    static func me(_ global: GlobalOptions, _ store: TrackingStore) throws -> PartnerRef {
        do {
            return try global.currentUser(store, create: false)
        } catch CLIError.notFound {
            return try global.currentUser(store, create: true)
        }
    }
}
