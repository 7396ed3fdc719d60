import Foundation
import TrackingModel

/// How `chatter store copy` copies.
public struct StoreCopyOptions: Sendable {
    /// Add to a target that already holds rows (refused when any id collides).
    public var append = false
    /// Rows read and written at a time.
    public var batchSize = 5000

    public init(append: Bool = false, batchSize: Int = 5000) {
        self.append = append
        self.batchSize = batchSize
    }
}

/// Where a copy is, for a progress display.
public struct StoreCopyProgress: Sendable {
    public var table: String
    public var tableRows: Int
    public var tableTotal: Int
    public var rows: Int
    public var total: Int
}

/// What a copy did.
public struct StoreCopyReport: Sendable {
    /// Each table and how many rows it brought, in copy order.
    public var tables: [(name: String, rows: Int)]
    public var rows: Int { tables.reduce(0) { $0 + $1.rows } }
    /// The target's counter checks after the copy (all fine, or the copy threw).
    public var checks: [StoreCheckItem]
    public var seconds: Double
}

/// Why a copy was refused or failed; the source is never written.
public enum StoreCopyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The two stores do not hold the same tables and columns (different chatter versions).
    case schemaMismatch(String)
    /// The target holds rows and `--append` was not given.
    case targetNotEmpty(String)
    /// `--append`: rows of the source have ids the target already uses.
    case collision(String)
    /// After the copy the target does not hold what it should.
    case verification(String)

    public var description: String {
        switch self {
        case .schemaMismatch(let m), .targetNotEmpty(let m), .collision(let m), .verification(let m): return m
        }
    }
}

/// Copies every data table of one store into another, ids kept, in batches, then
/// verifies the target: each table's row count grew by exactly the source's, and the
/// target's own counter checks all pass. Knows neither store's kind: each brings its
/// own SQL through `StoreTableCopying`.
public enum StoreCopier {
    public static func copy(
        from source: any StoreTableCopying, to target: any StoreTableCopying, options: StoreCopyOptions = StoreCopyOptions(),
        progress: @Sendable (StoreCopyProgress) -> Void = { _ in }
    ) async throws -> StoreCopyReport {
        let started = Date()
        let tables = try await source.copyTables()
        let targetTables = Dictionary(try await target.copyTables().map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var pairs: [(StoreTable, StoreTable)] = []
        for table in tables {
            guard let other = targetTables[table.name] else {
                throw StoreCopyError.schemaMismatch(
                    "\(target.copyLocation) has no table \(table.name): the two stores are of different chatter versions")
            }
            guard Set(other.columns) == Set(table.columns) else {
                throw StoreCopyError.schemaMismatch(
                    "\(table.name) has columns \(table.columns.sorted()) in \(source.copyLocation) but \(other.columns.sorted())"
                        + " in \(target.copyLocation): the two stores are of different chatter versions")
            }
            // Target columns in the source's order, with the target's types.
            let types = table.columns.map { other.types[other.columns.firstIndex(of: $0)!] }
            pairs.append((table, StoreTable(name: table.name, columns: table.columns, types: types, primaryKey: other.primaryKey)))
        }
        var counts: [Int] = []
        var before: [Int] = []
        for (table, into) in pairs {
            counts.append(try await source.rowCount(of: table))
            before.append(try await target.rowCount(of: into))
        }
        let occupied = zip(pairs, before).filter { $0.1 > 0 }.map { "\($0.0.0.name) (\($0.1))" }
        if !occupied.isEmpty && !options.append {
            throw StoreCopyError.targetNotEmpty(
                "\(target.copyLocation) is not empty: it holds rows in \(occupied.joined(separator: ", ")); "
                    + "give --append to add to it (refused if any id collides)")
        }
        if options.append {
            try await refuseCollisions(pairs, counts: counts, before: before, source: source, target: target, options: options)
        }
        let total = counts.reduce(0, +)
        var done = 0
        var report: [(name: String, rows: Int)] = []
        try await target.beginAppending()
        do {
            for ((table, into), count) in zip(pairs, counts) {
                var tableRows = 0
                var after: [StoreValue]?
                let keys = table.keyPositions
                progress(StoreCopyProgress(table: table.name, tableRows: 0, tableTotal: count, rows: done, total: total))
                while true {
                    let batch = try await source.rows(of: table, after: after, limit: options.batchSize)
                    if batch.isEmpty { break }
                    try await target.append(batch, to: into)
                    tableRows += batch.count
                    done += batch.count
                    progress(StoreCopyProgress(table: table.name, tableRows: tableRows, tableTotal: count, rows: done, total: total))
                    if batch.count < options.batchSize || keys.isEmpty { break }
                    after = keys.map { batch[batch.count - 1][$0] }
                }
                report.append((table.name, tableRows))
            }
            try await target.finishAppending()
        } catch {
            await target.abandonAppending()
            throw error
        }
        try await verify(pairs, counts: counts, before: before, target: target)
        let checks = try await target.counterChecks()
        let bad = checks.filter { $0.problems > 0 }
        if !bad.isEmpty {
            throw StoreCopyError.verification(
                "the copy's counters disagree with a recount in \(target.copyLocation): "
                    + bad.map { "\($0.name) (\($0.problems): \($0.detail))" }.joined(separator: ", "))
        }
        return StoreCopyReport(tables: report, checks: checks, seconds: Date().timeIntervalSince(started))
    }

    /// `--append`: every source key is looked up in the target first; one hit refuses the copy.
    private static func refuseCollisions(
        _ pairs: [(StoreTable, StoreTable)], counts: [Int], before: [Int], source: any StoreTableCopying,
        target: any StoreTableCopying, options: StoreCopyOptions
    ) async throws {
        for ((table, into), (count, existing)) in zip(pairs, zip(counts, before)) where count > 0 && existing > 0 {
            let keys = table.keyPositions
            guard !keys.isEmpty else { continue }
            var after: [StoreValue]?
            var hits = 0
            while true {
                let batch = try await source.rows(of: table, after: after, limit: options.batchSize)
                if batch.isEmpty { break }
                hits += try await target.existingKeys(batch.map { row in keys.map { row[$0] } }, in: into)
                if batch.count < options.batchSize { break }
                after = keys.map { batch[batch.count - 1][$0] }
            }
            if hits > 0 {
                throw StoreCopyError.collision(
                    "\(hits) row(s) of \(table.name) have keys (\(table.primaryKey.joined(separator: ", "))) that "
                        + "\(target.copyLocation) already uses: nothing was copied")
            }
        }
    }

    private static func verify(
        _ pairs: [(StoreTable, StoreTable)], counts: [Int], before: [Int], target: any StoreTableCopying
    ) async throws {
        var wrong: [String] = []
        for ((_, into), (count, existing)) in zip(pairs, zip(counts, before)) {
            let now = try await target.rowCount(of: into)
            if now != existing + count { wrong.append("\(into.name): \(now) rows, expected \(existing + count)") }
        }
        if !wrong.isEmpty {
            throw StoreCopyError.verification("the copy's row counts are wrong: " + wrong.joined(separator: "; "))
        }
    }
}
