import Foundation
import Outbox
import TrackingStore

/// The sender running beside another job (the same `OutboxWorker` as
/// `chatter send`): in the front, a Retry or a compose goes out and the markers
/// move waiting → sent on screen; in `chatter serve`, one long-running process
/// answers the pixel and webhooks and drains the outbox. It runs when the sender
/// is configured (`[smtp]` in config.toml, or `--smtp-host` / `--sendmail` on the
/// command line) and no other sender holds the store's send lock; otherwise the
/// entries wait for `chatter send`, and `status` says why.
final class BackgroundSender: @unchecked Sendable {
    /// Whether the sender runs, and why not.
    enum Status: CustomStringConvertible {
        case running
        case notConfigured
        case otherSender(String)
        case unusable(String)

        var description: String {
            switch self {
            case .running: return "sending the outbox"
            case .notConfigured: return "not configured (no [smtp] in config.toml, no --smtp-host or --sendmail)"
            case .otherSender(let why): return "not sending: \(why)"
            case .unusable(let why): return "not sending: \(why)"
            }
        }
    }

    let status: Status
    private let task: Task<Void, Never>?
    private let lock: SendLock?

    /// Starts the worker when it can; `log` gets the worker's lines (the front
    /// passes none: nothing may write to the terminal it draws on). The pixel
    /// base URL falls back to `fallbackBaseURL` when none is configured.
    init(
        store: TrackingStore, smtp: SMTPOptions, fallbackBaseURL: String = PixelBase.defaultURL,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        let started = Self.start(store: store, smtp: smtp, fallbackBaseURL: fallbackBaseURL, log: log)
        status = started.status
        task = started.task
        lock = started.lock
    }

    private static func start(
        store: TrackingStore, smtp: SMTPOptions, fallbackBaseURL: String, log: @escaping @Sendable (String) -> Void
    ) -> (status: Status, task: Task<Void, Never>?, lock: SendLock?)
    {
        let file: SMTPConfigFile
        do { file = try smtp.file() } catch { return (.unusable(String(describing: error)), nil, nil) }
        guard !file.values.isEmpty || smtp.smtpHost != nil || smtp.sendmail != nil else { return (.notConfigured, nil, nil) }
        let transport: any MailTransport
        do { transport = try smtp.transport(file) { log("sender: \($0)") } } catch { return (.unusable(String(describing: error)), nil, nil) }
        let lock: SendLock
        do { lock = try SendLock(storePath: store.path) } catch { return (.otherSender(String(describing: error)), nil, nil) }
        // A config the poller refuses leaves the sender without log evidence (flagged resends), not stopped.
        let evidence = try? smtp.deliveryEvidence(file) { log("sender: \($0)") }
        let worker = SendableBox(
            OutboxWorker(
                store: store, transport: transport, settings: smtp.mailSettings(file, fallbackBaseURL: fallbackBaseURL),
                evidence: evidence, log: log))
        let task = Task.detached {
            while !Task.isCancelled {
                do {
                    try await worker.value.run()
                } catch is CancellationError {
                    return
                } catch {
                    // A store or transport failure: wait and try again; the host process keeps working.
                    log("sender: \(error); trying again in 5 s")
                    try? await Task.sleep(nanoseconds: 5_000_000_000)
                }
            }
        }
        return (.running, task, lock)
    }

    func stop() {
        task?.cancel()
        withExtendedLifetime(lock) {}
    }
}
