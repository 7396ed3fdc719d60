import Foundation
import GRDB
import TrackingModel
import TrackingStore
import XCTest

@testable import EventIngest

/// A temporary folder with a store and helpers shared by the poller tests.
final class PollerFixture {
    let dir: URL
    let store: TrackingStore
    let me: PartnerRef
    private var threadCounter = 0

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("poller-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        store = try TrackingStore(path: dir.appendingPathComponent("store.sqlite").path)
        me = try store.user(email: "me@app.testhost.localdomain")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    /// Posts a message with a given Message-ID to `to`; returns its tracking rows by address.
    @discardableResult
    func post(messageId: String, to: [String]) throws -> [String: TrackingRow] {
        threadCounter += 1
        let result = try store.post(
            PostRequest(
                thread: ThreadRef(model: "test", key: String(threadCounter)), authorId: me.id, to: to,
                subject: "message \(messageId)", body: "body", messageId: messageId))
        var rows: [String: TrackingRow] = [:]
        for row in result.trackings { rows[row.address ?? row.recipient] = row }
        return rows
    }

    /// The state of the tracking row of `messageId` for `address`.
    func state(_ messageId: String, _ address: String) throws -> TrackingState? {
        let id = try dbQueue().read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT t.id FROM trackings t JOIN messages m ON m.id = t.message_id
                    WHERE m.message_id = ? AND t.address = ?
                    """, arguments: [messageId, address])
        }
        guard let id else {
            XCTFail("no tracking for \(messageId) / \(address)")
            return nil
        }
        return try store.tracking(id: id).state
    }

    /// A separate read connection on the store file (counts, integrity).
    func dbQueue() throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        return try DatabaseQueue(path: store.path, configuration: config)
    }

    func count(_ sql: String) throws -> Int {
        try dbQueue().read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    /// The real Postfix capture (`Tests/Fixtures/postfix/`) and the DSNs it produced.
    static var samples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/postfix")
    }

    /// Posts the capture's messages with their Message-IDs and recipients.
    func postCaptureMessages() throws {
        try post(messageId: "20241125.1@app.testhost.localdomain", to: ["root@testhost.localdomain"])
        try post(messageId: "20241125.2@app.testhost.localdomain", to: ["nosuchuser@testhost.localdomain"])
        try post(
            messageId: "A.20261125@app.testhost.localdomain",
            to: ["ok@remote.test, bad@remote.test, full@remote.test, grey@remote.test, spam@remote.test"])
        try post(messageId: "B.20261125@app.testhost.localdomain", to: ["ok2@remote.test, bad2@remote.test"])
        try post(messageId: "C.20261125@app.testhost.localdomain", to: ["someone@down.test"])
        try post(messageId: "E.20261125@app.testhost.localdomain", to: ["x@blocked.test"])
    }
}
