import Foundation
import GRDB
import PostgresStore
import StoreCopy
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// The serve role's rules, one source for both stores: a subclass only says how to make the
/// store from the demo seed file (ids kept). The pixel records an open for the right token on
/// an openable row (which the open moves to `opened`, so a repeat keeps nothing), refuses a wrong or missing token
/// and writes nothing then, answers `notOpenable` for a row not sent or delivered; the store is
/// healthy and its gauges count what is there.
class ServeContract: XCTestCase {
    /// The store under test, made from the seed file at `seedPath`.
    func makeStore(seedPath: String) throws -> any ServeRole { throw XCTSkip("base class") }

    /// The demo seed, built once, a day back (no demo open falls in the pixel's window now).
    static let seed = Result { () throws -> String in
        let dir = NSTemporaryDirectory() + "serve-contract-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/seed.sqlite"
        let assets = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets/demo/dataset.json")
        var options = DemoOptions()
        options.size = 60
        options.now = Date().timeIntervalSince1970 - 86_400
        _ = try TrackingStore.buildDemo(at: path, try DemoDataset.load(from: Data(contentsOf: assets)), options: options)
        return path
    }

    func checkPixelRulesHealthAndGauges() throws {
        let seedPath = try Self.seed.get()
        let seed = try DatabaseQueue(path: seedPath)
        let (open, closed, events) = try seed.read { db in
            (
                try Row.fetchOne(
                    db, sql: "SELECT id, token FROM trackings WHERE state IN ('sent', 'delivered') AND token IS NOT NULL ORDER BY id"),
                try Row.fetchOne(
                    db, sql: "SELECT id, token FROM trackings WHERE state NOT IN ('sent', 'delivered') AND token IS NOT NULL ORDER BY id"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM events") ?? 0
            )
        }
        let store = try makeStore(seedPath: seedPath)
        guard let open, let closed else { return XCTFail("the demo has openable and closed rows with tokens") }
        let (id, token): (Int64, String) = (open["id"], open["token"])

        XCTAssertEqual(store.health(), StoreHealth(problem: nil))
        XCTAssertEqual(try store.gauges().events, events)
        let wrong = String(repeating: "0", count: token.count)
        XCTAssertEqual(try store.recordPixelOpen(trackingId: id, token: wrong, ip: "192.0.2.1", userAgent: "UA"), .refused)
        XCTAssertEqual(try store.recordPixelOpen(trackingId: id, token: nil, ip: "192.0.2.1", userAgent: "UA"), .refused)
        XCTAssertEqual(try store.recordPixelOpen(trackingId: 9_999_999, token: token, ip: nil, userAgent: nil), .refused)
        XCTAssertEqual(try store.gauges().events, events, "a refused request writes nothing")
        XCTAssertEqual(try store.recordPixelOpen(trackingId: id, token: token.uppercased(), ip: "192.0.2.1", userAgent: "UA"), .recorded)
        XCTAssertEqual(try store.gauges().events, events + 1)
        // The open moved the row to `opened`: a repeat finds it no longer openable and keeps nothing.
        XCTAssertEqual(try store.recordPixelOpen(trackingId: id, token: token, ip: "192.0.2.2", userAgent: "UA"), .notOpenable)
        XCTAssertEqual(try store.gauges().events, events + 1, "a repeat is not kept")
        XCTAssertEqual(
            try store.recordPixelOpen(trackingId: closed["id"], token: closed["token"], ip: nil, userAgent: nil), .notOpenable)
    }
}

/// The serve contract on the SQLite store (a copy of the seed file).
final class SQLiteServeContractTests: ServeContract {
    override func makeStore(seedPath: String) throws -> any ServeRole { try IngestFixture.fileCopy(of: seedPath).store }

    func testPixelRulesHealthAndGauges() throws { try checkPixelRulesHealthAndGauges() }
}

/// The serve contract on PostgreSQL (the seed copied into a fresh database).
final class PostgresServeContractTests: ServeContract {
    override func makeStore(seedPath: String) throws -> any ServeRole { try IngestFixture.postgresCopy(of: seedPath).store }

    func testPixelRulesHealthAndGauges() throws { try checkPixelRulesHealthAndGauges() }
}
