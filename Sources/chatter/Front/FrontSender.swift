import Foundation
import Outbox
import TrackingStore

/// The sender in the background of the front (the same `OutboxWorker` as
/// `chatter send`): a Retry or a compose queued from the front goes out and the
/// markers move waiting → sent on screen. It runs when the sender is configured
/// (`[smtp]` in config.toml, or `--smtp-host` / `--sendmail` on the command line)
/// and no other sender holds the store's send lock; otherwise the entries wait
/// for `chatter send`.
final class FrontSender: @unchecked Sendable {
    private let task: Task<Void, Never>?
    private let lock: SendLock?

    init(store: TrackingStore, smtp: SMTPOptions) {
        guard let file = try? smtp.file(),
            !file.values.isEmpty || smtp.smtpHost != nil || smtp.sendmail != nil,
            let lock = try? SendLock(storePath: store.path),
            let transport = try? smtp.transport(file)
        else {
            task = nil
            lock = nil
            return
        }
        self.lock = lock
        // A config the poller refuses leaves the sender without log evidence (flagged resends), not stopped.
        let evidence = try? smtp.deliveryEvidence(file) { _ in }
        // Nothing may write to the terminal the front draws on: the outcomes are in the store.
        let worker = SendableBox(
            OutboxWorker(
                store: store, transport: transport, settings: smtp.mailSettings(file), evidence: evidence, log: { _ in }))
        task = Task.detached {
            while !Task.isCancelled {
                do {
                    try await worker.value.run()
                } catch {
                    // A store or transport failure: wait and try again, the front keeps working.
                    try? await Task.sleep(nanoseconds: 5_000_000_000)
                }
            }
        }
    }

    func stop() {
        task?.cancel()
        withExtendedLifetime(lock) {}
    }
}
