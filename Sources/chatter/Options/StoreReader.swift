import PostgresStore
import TrackingModel
import TrackingStore

extension GlobalOptions {
    /// The store a listing command reads, whichever `--db` / `$CHATTER_DB` names: the
    /// SQLite file (opened read-only, it must exist) or the PostgreSQL store of a URL
    /// (which must hold a chatter store). The command never knows which.
    func openReader() throws -> any StoreReading {
        if let postgres = try openPostgresStore(create: false) { return postgres }
        return try openStore(readOnly: true)
    }
}
