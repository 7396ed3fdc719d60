import GRDB
import TrackingModel

/// A parsed, checked email address ready to store.
struct CheckedAddress {
    var address: String
    var normalized: String
}

extension TrackingStore {
    /// Parses one address the way a mail client does; a broken one is a clear error.
    static func checkAddress(_ text: String) throws(StoreError) -> CheckedAddress {
        switch AddressParser.parseMailbox(text) {
        case .success(let m): return CheckedAddress(address: m.address, normalized: m.normalized)
        case .failure(let e): throw .invalidInput(e.description)
        }
    }

    /// Creates a partner and returns its id. `email` is optional (a partner may have none).
    public func addPartner(name: String, email: String?, notifyEmail: Bool = true) throws(StoreError) -> Int64 {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty else { throw .invalidInput("a partner needs a name") }
        guard StoredText.isStorable(name) else { throw .invalidInput("the name contains a NUL character") }
        let checked = try email.map { (e: String) throws(StoreError) in try Self.checkAddress(e) }
        let now = self.now
        return try write { db in
            try db.execute(
                sql: """
                    INSERT INTO partners (name, email, email_normalized, notify_email, email_bounced, created_at)
                    VALUES (?, ?, ?, ?, 0, ?)
                    """, arguments: [name, checked?.address, checked?.normalized, notifyEmail, now])
            let id = db.lastInsertedRowID
            if let checked { try Self.recomputeBounced(db, partnerId: id, normalized: checked.normalized) }
            return id
        }
    }

    /// Changes a partner's address; its bounced flag is recomputed from the
    /// newest tracking of the new address (README "The rules").
    public func setPartnerEmail(id: Int64, email: String?) throws(StoreError) {
        let checked = try email.map { (e: String) throws(StoreError) in try Self.checkAddress(e) }
        try write { db in
            try db.execute(
                sql: "UPDATE partners SET email = ?, email_normalized = ?, email_bounced = 0 WHERE id = ?",
                arguments: [checked?.address, checked?.normalized, id])
            guard db.changesCount == 1 else { throw StoreError.notFound("no partner with id \(id)") }
            if let checked { try Self.recomputeBounced(db, partnerId: id, normalized: checked.normalized) }
        }
    }

    /// Fixes a partner's address (`partner set-email`, the front's edit): the address is
    /// parsed and checked like `post` (IDN domains are kept readable and compared
    /// normalized), the bounced flag is recomputed from the newest tracking of the
    /// new address (so the score follows it), and the change is written to the
    /// partner audit log with the old and new address, in one transaction.
    public func changePartnerEmail(id: Int64, email: String, by actor: Int64) throws(StoreError) -> PartnerCard {
        let checked = try Self.checkAddress(email)
        let now = self.now
        return try write { db in
            guard let old = try Row.fetchOne(db, sql: "SELECT email FROM partners WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("no partner with id \(id)")
            }
            try db.execute(
                sql: "UPDATE partners SET email = ?, email_normalized = ? WHERE id = ?",
                arguments: [checked.address, checked.normalized, id])
            try Self.recomputeBounced(db, partnerId: id, normalized: checked.normalized)
            try db.execute(
                sql: """
                    INSERT INTO partner_audit (at, actor_id, partner_id, action, old_email, new_email)
                    VALUES (?, ?, ?, 'set_email', ?, ?)
                    """, arguments: [now, actor, id, old["email"] as String?, checked.address])
            return try Self.cards(db, rows: try Row.fetchAll(db, sql: "SELECT * FROM partners WHERE id = ?", arguments: [id]))[0]
        }
    }

    /// The partner audit log (address changes), oldest first.
    public func partnerAudit(partnerId: Int64) throws(StoreError) -> [PartnerAuditEntry] {
        try read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM partner_audit WHERE partner_id = ? ORDER BY at, id", arguments: [partnerId]
            ).map {
                PartnerAuditEntry(
                    at: $0["at"], actorId: $0["actor_id"], action: $0["action"], oldEmail: $0["old_email"],
                    newEmail: $0["new_email"])
            }
        }
    }

    /// Sets `email_bounced` from the newest tracking of the address.
    static func recomputeBounced(_ db: Database, partnerId: Int64, normalized: String) throws {
        let newest = try Row.fetchOne(
            db,
            sql: """
                SELECT state, error_type, cause FROM trackings WHERE address = ?
                ORDER BY created_at DESC, id DESC LIMIT 1
                """, arguments: [normalized])
        let state = newest.flatMap { ($0["state"] as String?).flatMap(TrackingState.init(rawValue:)) }
        let flag =
            state?.flagsAddressBounced(errorType: newest?["error_type"], cause: newest.flatMap(Self.cause)) ?? false
        try db.execute(sql: "UPDATE partners SET email_bounced = ? WHERE id = ?", arguments: [flag, partnerId])
    }

    /// The current user's partner, created (as a user) on first use.
    public func user(email: String, name: String? = nil) throws(StoreError) -> PartnerRef {
        let checked = try Self.checkAddress(email)
        let now = self.now
        return try write { db in try Self.ensureUser(db, checked: checked, name: name, now: now) }
    }

    static func ensureUser(_ db: Database, checked: CheckedAddress, name: String?, now: Double) throws -> PartnerRef {
        if let row = try Row.fetchOne(
            db,
            sql: """
                SELECT id, name, email FROM partners WHERE email_normalized = ?
                ORDER BY is_user DESC, id LIMIT 1
                """, arguments: [checked.normalized])
        {
            let id: Int64 = row["id"]
            try db.execute(sql: "UPDATE partners SET is_user = 1 WHERE id = ? AND is_user = 0", arguments: [id])
            return PartnerRef(id: id, name: row["name"], email: row["email"])
        }
        let display = name ?? String(checked.address.prefix(while: { $0 != "@" }))
        try db.execute(
            sql: """
                INSERT INTO partners (name, email, email_normalized, is_user, notify_email, created_at)
                VALUES (?, ?, ?, 1, 1, ?)
                """, arguments: [display, checked.address, checked.normalized, now])
        return PartnerRef(id: db.lastInsertedRowID, name: display, email: checked.address)
    }

    /// Finds the user partner for an address without creating it.
    public func findUser(email: String) throws(StoreError) -> PartnerRef? {
        let checked = try Self.checkAddress(email)
        return try read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, name, email FROM partners WHERE email_normalized = ? ORDER BY is_user DESC, id LIMIT 1",
                arguments: [checked.normalized]
            ).map { PartnerRef(id: $0["id"], name: $0["name"], email: $0["email"]) }
        }
    }

    /// The partner card by id: identity, bounced flag, score with its breakdown.
    public func partnerCard(id: Int64) throws(StoreError) -> PartnerCard {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM partners WHERE id = ?", arguments: [id]) else {
                throw StoreError.notFound("no partner with id \(id)")
            }
            return try Self.cards(db, rows: [row])[0]
        }
    }

    /// The partner card of the partner with this address (the oldest when several share it).
    public func partnerCard(email: String) throws(StoreError) -> PartnerCard {
        let checked = try Self.checkAddress(email)
        return try read { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM partners WHERE email_normalized = ? ORDER BY id LIMIT 1",
                    arguments: [checked.normalized])
            else { throw StoreError.notFound("no partner with address \(checked.address)") }
            return try Self.cards(db, rows: [row])[0]
        }
    }

    /// Partners by name (keyset pages of `limit`), optionally only the bounced ones.
    public func partners(bouncedOnly: Bool = false, after: String? = nil, afterId: Int64? = nil, limit: Int = 100)
        throws(StoreError) -> [PartnerCard]
    {
        try read { db in
            var sql = "SELECT * FROM partners"
            var conditions: [String] = []
            var args: [any DatabaseValueConvertible] = []
            if bouncedOnly { conditions.append("email_bounced = 1") }
            if let after, let afterId {
                conditions.append("(name, id) > (?, ?)")
                args += [after, afterId]
            }
            if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
            sql += " ORDER BY name, id LIMIT ?"
            args.append(limit)
            let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(args))
            return try Self.cards(db, rows: rows)
        }
    }

    /// Builds cards for partner rows with one grouped query for all their scores.
    static func cards(_ db: Database, rows: [Row]) throws -> [PartnerCard] {
        let addresses = Array(Set(rows.compactMap { $0["email_normalized"] as String? }))
        var counts: [String: [TrackingState?: Int]] = [:]
        if !addresses.isEmpty {
            let marks = Array(repeating: "?", count: addresses.count).joined(separator: ",")
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT address, state, COUNT(*) AS n FROM trackings
                    WHERE address IN (\(marks)) GROUP BY address, state
                    """, arguments: StatementArguments(addresses))
            while let r = try cursor.next() {
                let state = (r["state"] as String?).flatMap(TrackingState.init(rawValue:))
                counts[r["address"], default: [:]][state] = r["n"]
            }
        }
        return rows.map { row in
            let normalized: String? = row["email_normalized"]
            let breakdown = EmailScore.compute(counts: normalized.flatMap { counts[$0] } ?? [:])
            return PartnerCard(
                id: row["id"], name: row["name"], email: row["email"], emailBounced: row["email_bounced"],
                breakdown: breakdown)
        }
    }

    /// Replaces the list of our own alias addresses (catch-all, reply-to, bounce),
    /// which are never tracked as recipients.
    public func setAliases(_ addresses: [String]) throws(StoreError) {
        var normalized: [String] = []
        for a in addresses { normalized.append(try Self.checkAddress(a).normalized) }
        try write { db in
            try db.execute(sql: "DELETE FROM aliases")
            for n in Set(normalized) {
                try db.execute(sql: "INSERT INTO aliases (address) VALUES (?)", arguments: [n])
            }
        }
    }

    /// Our own alias addresses (normalized).
    public func aliases() throws(StoreError) -> [String] {
        try read { db in try String.fetchAll(db, sql: "SELECT address FROM aliases ORDER BY address") }
    }

    /// A stored setting (e.g. `default_user`).
    public func setting(_ key: String) throws(StoreError) -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE key = ?", arguments: [key]) }
    }

    /// Stores a setting.
    public func setSetting(_ key: String, _ value: String) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                arguments: [key, value])
        }
    }
}
