import PostgresStore
import TrackingModel
import TrackingStore

extension GlobalOptions {
    /// The store `chatter review`, `unreview`, `retry` and `partner set-email` act on,
    /// whichever `--db` / `$CHATTER_DB` names: the SQLite file (it must exist; opened
    /// read-only for a dry run) or the PostgreSQL store of a URL (which must hold a chatter
    /// store). The command never knows which.
    func openReviewStore(readOnly: Bool = false) throws -> any ReviewRole & PostingRole {
        if let postgres = try openPostgresStore(create: false) { return postgres }
        return try openStore(readOnly: readOnly)
    }
}
