import Foundation
import Outbox
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// A settable clock shared with the store.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Double
    init(_ start: Double) { value = start }
    var now: Double {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
    func advance(_ seconds: Double) { now += seconds }
}

/// A store in a temporary folder, a user, a scriptable SMTP peer and a worker wired to it.
final class OutboxFixture {
    let dir: URL
    let store: TrackingStore
    let clock = TestClock(1_764_000_000)
    let me: PartnerRef
    let peer = SMTPPeer()
    let policy = RetryPolicy(firstBackoff: 60, maxBackoff: 600, maxAge: 3600)
    var settings = MailSettings(fromAddress: nil, pixelBaseURL: "http://pixel.test:8025", pixelEnabled: true)
    var timeouts = SMTPTimeouts.all(5)
    var security = SMTPSecurity.opportunistic
    var user: String?

    /// `realClock`: the store uses the wall clock (for tests that run `chatter send` processes).
    init(realClock: Bool = false) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-outbox-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var options = StoreOptions()
        let clock = self.clock
        if !realClock { options.clock = { clock.now } }
        store = try TrackingStore(path: dir.appendingPathComponent("store.sqlite").path, options: options)
        me = try store.user(email: "me@yourcompany.example", name: "Mitchell Admin")
        try peer.start()
    }

    deinit {
        peer.stop()
        try? FileManager.default.removeItem(at: dir)
    }

    var smtpConfig: SMTPConfig {
        SMTPConfig(
            host: "127.0.0.1", port: peer.port, security: security, user: user, password: user == nil ? nil : "s3cret",
            timeouts: timeouts)
    }

    func worker() -> OutboxWorker {
        OutboxWorker(store: store, transport: SMTPTransport(config: smtpConfig), settings: settings, policy: policy)
    }

    @discardableResult
    func post(to: [String], subject: String = "Quote S00042", body: String = "Hello,\nhere is your quote.",
              thread: String = "sale.order/42") throws -> PostResult
    {
        try store.postAndQueue(
            PostRequest(thread: ThreadRef(parsing: thread)!, authorId: me.id, to: to, subject: subject, body: body)).post
    }

    func state(_ address: String) throws -> TrackingState? {
        try store.trackings(TrackingFilter(recipient: address)).rows.first?.state
    }

    func row(_ address: String) throws -> TrackingRow {
        try XCTUnwrap(try store.trackings(TrackingFilter(recipient: address)).rows.first)
    }
}
