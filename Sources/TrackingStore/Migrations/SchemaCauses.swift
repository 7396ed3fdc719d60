import GRDB
import TrackingModel

extension Schema {
    /// Why a failure happened (README "Why it failed: causes"): a `cause`
    /// word on events and tracking rows (its side follows from the word, so it
    /// is not stored twice: a side is `cause IN (its causes)`, see
    /// `CauseSQL.side`), and the stored history re-derived by the new rules
    /// (`CauseHistory`).
    ///
    /// `trackings_cause_domain` serves failure groups: rows by cause and
    /// receiving domain (`CauseSQL.receivingDomain`, the same expression), only
    /// over rows that have a cause.
    static func v5Causes(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE events ADD COLUMN cause TEXT;
                ALTER TABLE trackings ADD COLUMN cause TEXT;
                """)
        try CauseHistory.rederive(db)
        try db.execute(
            sql: "CREATE INDEX trackings_cause_domain ON trackings(cause, \(CauseSQL.receivingDomain))"
                + " WHERE cause IS NOT NULL")
    }
}

/// SQL pieces for queries by cause, side and receiving domain.
public enum CauseSQL {
    /// The receiving domain of a tracking row's (normalized) address: the text
    /// after the `@`. Queries by domain must use exactly this expression so that
    /// SQLite uses `trackings_cause_domain`.
    public static let receivingDomain = "substr(address, instr(address, '@') + 1)"

    /// `cause IN ('user_unknown', ...)`: the rows of one side (the causes are our
    /// own closed words, so they are written inline).
    public static func side(_ side: FailureSide, column: String = "cause") -> String {
        let words = FailureCause.allCases.filter { $0.side == side }.map { "'\($0.rawValue)'" }
        return "\(column) IN (\(words.joined(separator: ", ")))"
    }
}
