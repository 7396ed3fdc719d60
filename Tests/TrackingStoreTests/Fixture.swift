import Foundation
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

/// Collects the SQL the store runs.
final class SQLLog: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    var recording = false

    func add(_ sql: String) {
        lock.withLock { if recording { lines.append(sql) } }
    }

    func take() -> [String] {
        lock.withLock {
            defer { lines = [] }
            return lines
        }
    }
}

/// A real store in a temporary folder, with a controlled clock and a user "me".
final class Fixture {
    let dir: URL
    let store: TrackingStore
    let clock = TestClock(1_764_000_000)
    let sql = SQLLog()
    let me: PartnerRef

    init(file: StaticString = #filePath, line: UInt = #line) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        var options = StoreOptions()
        let clock = self.clock
        let sql = self.sql
        options.clock = { clock.now }
        options.trace = { sql.add($0) }
        store = try TrackingStore(path: dir.appendingPathComponent("store.sqlite").path, options: options)
        me = try store.user(email: "me@yourcompany.example", name: "Mitchell Admin")
    }

    deinit { try? FileManager.default.removeItem(at: dir) }

    var path: String { store.path }

    @discardableResult
    func partner(_ name: String, _ email: String?) throws -> Int64 {
        try store.addPartner(name: name, email: email)
    }

    func post(
        thread: String = "res.partner/1", to: [String] = [], cc: [String] = [], partners: [Int64] = [],
        subject: String = "Hello", author: Int64? = nil, tracked: Bool = true
    ) throws -> PostResult {
        try store.post(
            PostRequest(
                thread: ThreadRef(parsing: thread)!, authorId: author ?? me.id, to: to, cc: cc, partnerIds: partners,
                subject: subject, body: "Body", tracked: tracked))
    }

    private var keySeq = 0

    @discardableResult
    func event(
        _ trackingId: Int64, _ type: EventType, at: Double? = nil, url: String? = nil, errorType: String? = nil,
        description: String? = nil, machine: Bool = false, key: String? = nil, cause: FailureCause? = nil
    ) throws -> ApplyOutcome {
        keySeq += 1
        var details = EventDetails(url: url, errorType: errorType, errorDescription: description, cause: cause)
        if type == .hardBounce || type == .softBounce { details.bounceDescription = description }
        return try store.apply(
            NewEvent(
                trackingId: trackingId, type: type, timestamp: at ?? clock.now, source: "test",
                key: key ?? "k\(keySeq)", machine: machine, details: details))
    }

    func state(_ trackingId: Int64) throws -> TrackingState? {
        try store.tracking(id: trackingId).state
    }
}
