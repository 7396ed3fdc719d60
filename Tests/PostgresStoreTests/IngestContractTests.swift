import Foundation
import PostgresStore
import TrackingModel
import TrackingStore
import XCTest

/// The ingest contract on the SQLite store (a copy of the seed file).
final class SQLiteIngestContractTests: IngestContract {
    override func makeStore(seedPath: String) throws -> (store: any IngestRole, query: (String) throws -> [String]) {
        let copy = try IngestFixture.fileCopy(of: seedPath)
        return (copy.store, copy.query)
    }

    func testPollerReadsEverySourceAsTheFileStoreDoes() throws { try checkPollerReadsEverySourceAsTheFileStoreDoes() }
    func testOneShotIngestResumesAndFromStartFindsDuplicates() throws {
        try checkOneShotIngestResumesAndFromStartFindsDuplicates()
    }
    func testAFailedBatchKeepsNothingAndARepeatedOneOnlyDuplicates() throws {
        try checkAFailedBatchKeepsNothingAndARepeatedOneOnlyDuplicates()
    }
}

/// The ingest contract on PostgreSQL (the seed copied into a fresh database, ids kept):
/// the same inputs give the file store's rows, table for table.
final class PostgresIngestContractTests: IngestContract {
    override func makeStore(seedPath: String) throws -> (store: any IngestRole, query: (String) throws -> [String]) {
        let copy = try IngestFixture.postgresCopy(of: seedPath)
        return (copy.store, copy.query)
    }

    func testPollerReadsEverySourceAsTheFileStoreDoes() throws { try checkPollerReadsEverySourceAsTheFileStoreDoes() }
    func testOneShotIngestResumesAndFromStartFindsDuplicates() throws {
        try checkOneShotIngestResumesAndFromStartFindsDuplicates()
    }
    func testAFailedBatchKeepsNothingAndARepeatedOneOnlyDuplicates() throws {
        try checkAFailedBatchKeepsNothingAndARepeatedOneOnlyDuplicates()
    }
}
