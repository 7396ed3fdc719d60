import Foundation
import XCTest

/// The review contract on the SQLite store (a copy of the demo file) against the reference.
final class SQLiteReviewContractTests: ReviewContract {
    override func makeStore() throws -> ReviewContractStore { try .sqlite() }

    func testReviewAndUnreviewMoveOnlyNeedsAction() throws { try checkReviewAndUnreviewMoveOnlyNeedsAction() }
    func testRetryOfOneMessageExecutesItsPlan() throws { try checkRetryOfOneMessageExecutesItsPlan() }
    func testGroupRetryRunsEachMessagesPlan() throws { try checkGroupRetryRunsEachMessagesPlan() }
    func testAnAddressFixIsAuditedAndRetargetsTheRetry() throws { try checkAnAddressFixIsAuditedAndRetargetsTheRetry() }
}

/// The review contract on PostgreSQL (the demo copied into a fresh database): the same
/// answers and the same rows as the SQLite file doing the same.
final class PostgresReviewContractTests: ReviewContract {
    override func makeStore() throws -> ReviewContractStore { try .postgres() }

    func testReviewAndUnreviewMoveOnlyNeedsAction() throws { try checkReviewAndUnreviewMoveOnlyNeedsAction() }
    func testRetryOfOneMessageExecutesItsPlan() throws { try checkRetryOfOneMessageExecutesItsPlan() }
    func testGroupRetryRunsEachMessagesPlan() throws { try checkGroupRetryRunsEachMessagesPlan() }
    func testAnAddressFixIsAuditedAndRetargetsTheRetry() throws { try checkAnAddressFixIsAuditedAndRetargetsTheRetry() }
}
