import Foundation
import XCTest

/// The posting and outbox contract on the SQLite store (a fresh file).
final class SQLiteOutboxContractTests: OutboxContract {
    override func makeStore() throws -> OutboxContractStore { try .sqlite(clock: clock) }

    func testPostResolvesRecipientsByTheRules() throws { try checkPostResolvesRecipientsByTheRules() }
    func testABrokenOrUntrackedPostWritesNothing() throws { try checkABrokenOrUntrackedPostWritesNothing() }
    func testClaimsAndOutcomesFollowTheRules() throws { try checkClaimsAndOutcomesFollowTheRules() }
    func testASharedMailIsClaimedAsOne() throws { try checkASharedMailIsClaimedAsOne() }
    func testAnAttemptLeftSendingIsSettledByTheRules() throws { try checkAnAttemptLeftSendingIsSettledByTheRules() }
}

/// The posting and outbox contract on PostgreSQL (a fresh database): the same checks.
final class PostgresOutboxContractTests: OutboxContract {
    override func makeStore() throws -> OutboxContractStore { try .postgres(clock: clock) }

    func testPostResolvesRecipientsByTheRules() throws { try checkPostResolvesRecipientsByTheRules() }
    func testABrokenOrUntrackedPostWritesNothing() throws { try checkABrokenOrUntrackedPostWritesNothing() }
    func testClaimsAndOutcomesFollowTheRules() throws { try checkClaimsAndOutcomesFollowTheRules() }
    func testASharedMailIsClaimedAsOne() throws { try checkASharedMailIsClaimedAsOne() }
    func testAnAttemptLeftSendingIsSettledByTheRules() throws { try checkAnAttemptLeftSendingIsSettledByTheRules() }
}
