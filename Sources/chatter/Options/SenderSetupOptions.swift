import ChatterRuntime
import Foundation
import Outbox
import TrackingModel
import TrackingStore

extension SMTPOptions {
    /// The background sender's setup from these options and config.toml's
    /// `[smtp]`: not configured, unusable (why), or ready. The pixel base URL
    /// falls back to `fallbackBaseURL` when none is configured; `log` hears the
    /// delivery evidence's warnings.
    func senderSetup(
        fallbackBaseURL: String = PixelBase.defaultURL, log: @escaping @Sendable (String) -> Void = { _ in }
    ) -> SenderSetup {
        let file: SMTPConfigFile
        do { file = try self.file() } catch { return .unusable(String(describing: error)) }
        guard !file.values.isEmpty || smtpHost != nil || sendmail != nil else { return .notConfigured }
        let transport: any MailTransport
        do { transport = try self.transport(file) { log("sender: \($0)") } } catch { return .unusable(String(describing: error)) }
        // A config the poller refuses leaves the sender without log evidence (flagged resends), not stopped.
        return .ready(
            transport: transport, settings: mailSettings(file, fallbackBaseURL: fallbackBaseURL),
            evidence: { try? self.deliveryEvidence(file) { log("sender: \($0)") } })
    }
}

extension BackgroundSender {
    /// Starts the sender configured by `smtp` (see `SMTPOptions.senderSetup`).
    convenience init(
        store: TrackingStore, smtp: SMTPOptions, fallbackBaseURL: String = PixelBase.defaultURL,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(store: store, sendLock: store.path, smtp: smtp, fallbackBaseURL: fallbackBaseURL, log: log)
    }

    /// Starts the sender configured by `smtp` on either store; `sendLock`: the store file whose
    /// send lock it holds (nil on PostgreSQL, which keeps several senders' claims apart).
    convenience init(
        store: any OutboxRole, sendLock: String?, smtp: SMTPOptions, fallbackBaseURL: String = PixelBase.defaultURL,
        log: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.init(
            store: store, sendLock: sendLock, setup: smtp.senderSetup(fallbackBaseURL: fallbackBaseURL, log: log), log: log)
    }
}
