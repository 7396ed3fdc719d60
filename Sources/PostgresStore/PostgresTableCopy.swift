import NIOCore
import PostgresNIO
import TrackingModel

/// `store copy` on the PostgreSQL store: tables read in primary-key order; a copy into
/// it is one transaction (all or nothing), each batch sent with `COPY … FROM STDIN`,
/// and the id sequences set past the largest id before the commit.
extension PostgresStore: StoreTableCopying {
    public var copyLocation: String { settings.description }

    /// The data tables in the order the schema creates them (parents before children).
    public func copyTables() async throws -> [StoreTable] {
        try await exclusive {
            let rows = try await self.rows(
                """
                SELECT c.table_name::text, c.column_name::text, c.data_type::text,
                  coalesce((SELECT array_position(i.indkey::int2[], a.attnum::int2) FROM pg_index i
                    JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attname = c.column_name
                    WHERE i.indrelid = (quote_ident(c.table_name))::regclass AND i.indisprimary
                      AND a.attnum = ANY(i.indkey::int2[])), -1)::int8
                FROM information_schema.columns c
                WHERE c.table_schema = current_schema()
                ORDER BY c.table_name, c.ordinal_position
                """)
            var tables: [String: StoreTable] = [:]
            var keys: [String: [(Int64, String)]] = [:]
            for row in rows {
                let (table, column, type, keyIndex) = try row.decode((String, String, String, Int64).self)
                var t = tables[table] ?? StoreTable(name: table, columns: [], types: [], primaryKey: [])
                t.columns.append(column)
                t.types.append(Self.columnType(type))
                tables[table] = t
                if keyIndex >= 0 { keys[table, default: []].append((keyIndex, column)) }
            }
            return PostgresSchema.tableOrder.compactMap { name in
                guard var t = tables[name] else { return nil }
                t.primaryKey = (keys[name] ?? []).sorted { $0.0 < $1.0 }.map(\.1)
                return t
            }
        }
    }

    public func rowCount(of table: StoreTable) async throws -> Int {
        try await exclusive {
            let rows = try await self.rows(PostgresQuery(unsafeSQL: "SELECT count(*) FROM \(Self.quoted(table.name))"))
            return Int(try rows.first?.decode(Int64.self) ?? 0)
        }
    }

    public func rows(of table: StoreTable, after: [StoreValue]?, limit: Int) async throws -> [[StoreValue]] {
        let key = table.primaryKey.map(Self.quoted).joined(separator: ", ")
        var sql = "SELECT \(table.columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table.name))"
        var binds = PostgresBindings()
        if let after {
            sql += " WHERE (\(key)) > (\((1...after.count).map { "$\($0)" }.joined(separator: ", ")))"
            for v in after { try Self.bind(v, into: &binds) }
        }
        sql += " ORDER BY \(key) LIMIT \(limit)"
        let query = PostgresQuery(unsafeSQL: sql, binds: binds)
        return try await exclusive {
            try await self.rows(query).map { row in
                try zip(row, table.types).map { cell, type in try Self.value(cell, type) }
            }
        }
    }

    public func existingKeys(_ keys: [[StoreValue]], in table: StoreTable) async throws -> Int {
        guard !keys.isEmpty, !table.primaryKey.isEmpty else { return 0 }
        let key = table.primaryKey.map(Self.quoted).joined(separator: ", ")
        var binds = PostgresBindings()
        var tuples: [String] = []
        var n = 0
        for k in keys {
            tuples.append("(" + k.map { _ in n += 1; return "$\(n)" }.joined(separator: ", ") + ")")
            for v in k { try Self.bind(v, into: &binds) }
        }
        let query = PostgresQuery(
            unsafeSQL: "SELECT count(*) FROM \(Self.quoted(table.name)) WHERE (\(key)) IN (VALUES \(tuples.joined(separator: ", ")))",
            binds: binds)
        return try await exclusive { Int(try await self.rows(query).first?.decode(Int64.self) ?? 0) }
    }

    public func beginAppending() async throws {
        try await exclusive {
            try await self.run("BEGIN")
            self.session.spanningTransaction = true
        }
    }

    public func append(_ rows: [[StoreValue]], to table: StoreTable) async throws {
        var text: [UInt8] = []
        text.reserveCapacity(rows.count * table.columns.count * 16)
        for row in rows {
            for (i, value) in row.enumerated() {
                if i > 0 { text.append(UInt8(ascii: "\t")) }
                guard let fitted = value.fitted(to: table.types[i]) else {
                    throw PostgresStoreError.invalidInput(
                        "\(table.name).\(table.columns[i]): a \(value) cannot be stored as \(table.types[i].rawValue)")
                }
                try Self.writeCopyText(fitted, table: table.name, into: &text)
            }
            text.append(UInt8(ascii: "\n"))
        }
        let buffer = ByteBuffer(bytes: text)
        // PostgresNIO quotes the table and column names itself.
        try await exclusive {
            try await self.connection.copyFrom(
                table: table.name, columns: table.columns, logger: self.logger
            ) { writer in try await writer.write(buffer) }
        }
    }

    public func finishAppending() async throws {
        try await exclusive {
            let serials = try await self.rows(
                """
                SELECT table_name::text, column_name::text, pg_get_serial_sequence(quote_ident(table_name), column_name)::text
                FROM information_schema.columns
                WHERE table_schema = current_schema() AND column_default LIKE 'nextval(%'
                """)
            for row in serials {
                let (table, column, sequence) = try row.decode((String, String, String).self)
                try await self.run(
                    "SELECT setval('\(sequence)', coalesce((SELECT max(\(Self.quoted(column))) FROM \(Self.quoted(table))), 0) + 1, false)")
            }
            try await self.run("COMMIT")
            self.session.spanningTransaction = false
            try await self.run("ANALYZE")
        }
    }

    public func abandonAppending() async {
        // Not through `exclusive`: a copy whose connection dropped ends here, without a new one.
        await gate.enter()
        defer { gate.leave() }
        session.spanningTransaction = false
        if !session.connection.isClosed { try? await run("ROLLBACK") }
    }

    public func counterChecks() async throws -> [StoreCheckItem] {
        try await check()
    }

    /// `"name"`, doubled quotes inside.
    static func quoted(_ identifier: String) -> String {
        "\"" + identifier.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    static func columnType(_ dataType: String) -> StoreColumnType {
        switch dataType {
        case "bigint", "integer", "smallint", "boolean": return .integer
        case "double precision", "real", "numeric": return .real
        case "bytea": return .blob
        default: return .text
        }
    }

    static func bind(_ value: StoreValue, into binds: inout PostgresBindings) throws {
        switch value {
        case .null: binds.appendNull()
        case .integer(let i): binds.append(i)
        case .real(let d): binds.append(d)
        case .text(let s): binds.append(s)
        case .blob(let b): binds.append(ByteBuffer(bytes: b))
        }
    }

    static func value(_ cell: PostgresCell, _ type: StoreColumnType) throws -> StoreValue {
        if cell.bytes == nil { return .null }
        switch type {
        case .integer: return .integer(try cell.decode(Int64.self))
        case .real: return .real(try cell.decode(Double.self))
        case .text: return .text(try cell.decode(String.self))
        case .blob:
            var b = try cell.decode(ByteBuffer.self)
            return .blob(b.readBytes(length: b.readableBytes) ?? [])
        }
    }

    /// One field of COPY's text format: `\N` for NULL, backslash escapes in text, `\\x…` for bytes.
    static func writeCopyText(_ value: StoreValue, table: String, into out: inout [UInt8]) throws {
        switch value {
        case .null: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "N")])
        case .integer(let i): out.append(contentsOf: String(i).utf8)
        case .real(let d):
            out.append(contentsOf: (d.isNaN ? "NaN" : d.isInfinite ? (d < 0 ? "-Infinity" : "Infinity") : "\(d)").utf8)
        case .text(let s):
            // Most texts need no escape: copied whole.
            guard s.utf8.contains(where: { $0 < 32 || $0 == UInt8(ascii: "\\") }) else {
                out.append(contentsOf: s.utf8)
                return
            }
            for b in s.utf8 {
                switch b {
                case 0: throw PostgresStoreError.invalidInput("\(table): a text holds a NUL character, which PostgreSQL cannot store")
                case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case UInt8(ascii: "\n"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case UInt8(ascii: "\r"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case UInt8(ascii: "\t"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                default: out.append(b)
                }
            }
        case .blob(let bytes):
            out.append(contentsOf: "\\\\x".utf8)
            let digits = Array("0123456789abcdef".utf8)
            for b in bytes {
                out.append(digits[Int(b >> 4)])
                out.append(digits[Int(b & 15)])
            }
        }
    }
}

extension PostgresSchema {
    /// Every table in the order the steps create them (parents before children).
    static let tableOrder: [String] = steps.flatMap { step in
        statements(step.sql).compactMap { statement -> String? in
            guard statement.hasPrefix("CREATE TABLE ") else { return nil }
            return statement.dropFirst("CREATE TABLE ".count).split(separator: " ").first.map(String.init)
        }
    }
}
