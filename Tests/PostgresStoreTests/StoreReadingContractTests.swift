import Foundation
import PostgresStore
import StoreCopy
import TestSupport
import TrackingModel
import TrackingStore
import XCTest

/// The read contract on the SQLite store: its own pages from either end equal its whole lists.
final class SQLiteStoreReadingTests: StoreReadingContract {
    override func makeStore(demoPath: String) throws -> any StoreReading {
        var options = StoreOptions()
        options.readOnly = true
        return try TrackingStore(path: demoPath, options: options)
    }

    func testFailedMailboxPagesCountsAndGroups() throws { try checkFailedMailboxPagesCountsAndGroups() }
    func testThreadsAndTheirHistoryPageTheSame() throws { try checkThreadsAndTheirHistoryPageTheSame() }
    func testTrackingsAndEventsPageTheSame() throws { try checkTrackingsAndEventsPageTheSame() }
    func testPartnersAndLookupsAreTheSame() throws { try checkPartnersAndLookupsAreTheSame() }
}

/// The read contract on PostgreSQL: the demo copied there (ids kept) reads exactly as
/// the SQLite file does, page for page.
final class PostgresStoreReadingTests: StoreReadingContract {
    /// The demo copied into one database, once per process.
    static let copied = Result { () throws -> PostgresSettings in
        let cluster = try PostgresTestCluster.shared()
        let db = try cluster.createDatabase(prefix: "reading")
        let settings = PostgresSettings(
            host: cluster.host, port: cluster.port, user: PostgresTestCluster.user, database: db,
            password: PostgresPassword(PostgresTestCluster.password), sslMode: .disable)
        let source = try TrackingStore(path: try StoreReadingContract.demo.get())
        try BlockingCall.run {
            let pg = try await PostgresStore.open(settings)
            _ = try await StoreCopier.copy(from: source, to: pg, options: StoreCopyOptions()) { _ in }
            await pg.close()
        }
        _ = try cluster.psql("ANALYZE", database: db)
        return settings
    }

    override func makeStore(demoPath: String) throws -> any StoreReading {
        let settings = try Self.copied.get()
        return try BlockingCall.run { try await PostgresStore.open(settings, migrate: false) }
    }

    func testFailedMailboxPagesCountsAndGroups() throws { try checkFailedMailboxPagesCountsAndGroups() }
    func testThreadsAndTheirHistoryPageTheSame() throws { try checkThreadsAndTheirHistoryPageTheSame() }
    func testTrackingsAndEventsPageTheSame() throws { try checkTrackingsAndEventsPageTheSame() }
    func testPartnersAndLookupsAreTheSame() throws { try checkPartnersAndLookupsAreTheSame() }
}
