import Foundation
import Outbox
import TrackingModel
import TrackingStore

/// How the background sender is to send, worked out from the command line and
/// config.toml by the caller: a plain value, so the runtime knows nothing of
/// option parsing.
public enum SenderSetup {
    /// No `[smtp]` in config.toml and no transport on the command line.
    case notConfigured
    /// The configuration could not be used (why, for the status line).
    case unusable(String)
    /// Ready to send. `evidence` is asked once the send lock is held (it may
    /// warn through the log); nil: entries a killed sender left are resent flagged.
    case ready(
        transport: any MailTransport, settings: MailSettings, evidence: () -> (any DeliveryEvidence)?)
}

/// The sender running beside another job (the same `OutboxWorker` as
/// `chatter send`): in the front, a Retry or a compose goes out and the markers
/// move waiting → sent on screen; in `chatter serve`, one long-running process
/// answers the pixel and webhooks and drains the outbox. It runs when the sender
/// is configured (`[smtp]` in config.toml, or `--smtp-host` / `--sendmail` on the
/// command line) and no other sender holds the store's send lock; otherwise the
/// entries wait for `chatter send`, and `status` says why.
public final class BackgroundSender: @unchecked Sendable {
    /// Whether the sender runs, and why not.
    public enum Status: CustomStringConvertible {
        case running
        case notConfigured
        case otherSender(String)
        case unusable(String)

        /// The status as `chatter serve` prints it.
        public var description: String {
            switch self {
            case .running: return "sending the outbox"
            case .notConfigured: return "not configured (no [smtp] in config.toml, no --smtp-host or --sendmail)"
            case .otherSender(let why): return "not sending: \(why)"
            case .unusable(let why): return "not sending: \(why)"
            }
        }
    }

    /// Whether it runs, and why not.
    public let status: Status
    private let worker: Worker?
    private let lock: SendLock?

    /// Starts the worker when it can; `log` gets the worker's lines (the front
    /// passes none: nothing may write to the terminal it draws on).
    public init(store: TrackingStore, setup: SenderSetup, log: @escaping @Sendable (String) -> Void = { _ in }) {
        let started = Self.start(store: store, setup: setup, log: log)
        status = started.status
        worker = started.worker
        lock = started.lock
    }

    private static func start(
        store: TrackingStore, setup: SenderSetup, log: @escaping @Sendable (String) -> Void
    ) -> (status: Status, worker: Worker?, lock: SendLock?) {
        switch setup {
        case .notConfigured: return (.notConfigured, nil, nil)
        case .unusable(let why): return (.unusable(why), nil, nil)
        case .ready(let transport, let settings, let evidence):
            let lock: SendLock
            do { lock = try SendLock(storePath: store.path) } catch { return (.otherSender(String(describing: error)), nil, nil) }
            let outbox = OutboxBox(
                OutboxWorker(store: store, transport: transport, settings: settings, evidence: evidence(), log: log))
            // The worker's thread runs the async `run()` to its end; a stop cancels it.
            let worker = Worker(name: "chatter.send")
            worker.start { worker in
                while !worker.isStopping {
                    do {
                        try worker.runToCompletion { try await outbox.value.run() }
                    } catch is CancellationError {
                        return
                    } catch {
                        // A store or transport failure: wait and try again; the host process keeps working.
                        log("sender: \(error); trying again in 5 s")
                        worker.rest(5)
                    }
                }
            }
            return (.running, worker, lock)
        }
    }

    /// Stops the worker (its thread ends once the send in progress, if any,
    /// is over; not waited for) and lets the send lock go.
    public func stop() {
        worker?.requestStop()
        withExtendedLifetime(lock) {}
    }
}

/// Hands the outbox worker to the one thread (and its bridged task) that uses it.
private final class OutboxBox: @unchecked Sendable {
    let value: OutboxWorker
    init(_ value: OutboxWorker) { self.value = value }
}
