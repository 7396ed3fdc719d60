import GRDB

extension Schema {
    /// The tracking list filtered to every failed state at once (`s` in the
    /// front's Tracking mailbox, `trackings --state failed`) read along its own
    /// index: newest first, or from its end, without sorting every failed row
    /// of the store for each page. The condition is written exactly as the
    /// listing writes it (`FailureGroups.failedStates`), so SQLite uses it.
    static func v7FailedList(_ db: Database) throws {
        try db.execute(
            sql: "CREATE INDEX trackings_failed ON trackings(created_at DESC, id DESC) WHERE state IN ("
                + FailureGroups.failedStates + ")")
    }
}
