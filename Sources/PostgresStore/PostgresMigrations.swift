import Foundation
import PostgresNIO

extension PostgresStore {
    /// The table that records the applied steps (the SQLite store's `grdb_migrations`).
    static let migrationsTable = "chatter_migrations"

    /// The steps applied to this database, in order of application.
    public func appliedMigrations() async throws(PostgresStoreError) -> [String] {
        try await exclusive { try await self.readApplied() }
    }

    /// Refuses a newer or foreign schema without writing; applies the missing steps
    /// (when `migrate`) in one transaction under an advisory lock, so several processes
    /// opening a new database at once apply each step exactly once.
    func checkSchema(migrate: Bool) async throws(PostgresStoreError) {
        try await exclusive {
            try await self.refuseForeign()
            if try await self.pending().isEmpty || !migrate { return }
            try await self.transaction {
                try await self.run("SELECT pg_advisory_xact_lock(\(Self.migrationLockKey))")
                try await self.run(
                    "CREATE TABLE IF NOT EXISTS \(Self.migrationsTable) (identifier TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
                try await self.refuseForeign()
                for step in try await self.pending() {
                    for statement in PostgresSchema.statements(step.sql) { try await self.run(statement) }
                    try await self.connection.query(
                        "INSERT INTO chatter_migrations (identifier, applied_at) VALUES (\(step.name), \(Date().timeIntervalSince1970))",
                        logger: self.logger)
                }
            }
        }
    }

    /// A fixed key for `pg_advisory_xact_lock` ("chatter" in ASCII).
    static let migrationLockKey: Int64 = 0x63_6861_7474_6572

    private func tablesHere() async throws -> [String] {
        try await texts("SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema()")
    }

    private func readApplied() async throws -> [String] {
        guard try await tablesHere().contains(Self.migrationsTable) else { return [] }
        return try await texts("SELECT identifier FROM \(Self.migrationsTable) ORDER BY applied_at, identifier")
    }

    /// Throws `newerSchema` for a step this build does not know, `notAStore` for tables without our table.
    private func refuseForeign() async throws {
        let tables = try await tablesHere()
        if tables.isEmpty { return }
        guard tables.contains(Self.migrationsTable) else {
            throw PostgresStoreError.notAStore(location: settings.description, reason: "it has tables but no chatter schema")
        }
        let known = Set(PostgresSchema.steps.map(\.name))
        let unknown = try await readApplied().filter { !known.contains($0) }
        if !unknown.isEmpty {
            throw PostgresStoreError.newerSchema(location: settings.description, unknownMigrations: unknown)
        }
    }

    private func pending() async throws -> [PostgresSchema.Step] {
        let applied = Set(try await readApplied())
        return PostgresSchema.steps.filter { !applied.contains($0.name) }
    }
}

extension PostgresSchema {
    /// The statements of a step, one by one (the extended protocol runs one per query):
    /// split at a `;` that ends a line; comment lines dropped.
    static func statements(_ sql: String) -> [String] {
        var out: [String] = []
        var current: [Substring] = []
        for line in sql.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("--") || trimmed.isEmpty { continue }
            if trimmed.hasSuffix(";") {
                current.append(Substring(trimmed.dropLast()))
                out.append(current.joined(separator: "\n"))
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { out.append(current.joined(separator: "\n")) }
        return out
    }
}
