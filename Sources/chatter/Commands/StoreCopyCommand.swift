import ArgumentParser
import Foundation
import PostgresStore
import StoreCopy
import TrackingModel
import TrackingStore

/// `chatter store copy --from SRC --to DST`: every table of one store into another
/// (SQLite file ⇄ PostgreSQL), ids kept, counters verified after.
struct StoreCopyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole store into another: a file to PostgreSQL (postgres://…) or back.",
        discussion: "Every table is copied with its ids; the target must be empty unless --append is given, and then "
            + "no id may collide. After the copy each table's row count and the target's counters are checked. "
            + "A copy into PostgreSQL is one transaction: on any error the target keeps nothing; a new SQLite file "
            + "is removed again. Progress goes to stderr. The source is only read.")

    @Option(name: .long, help: "The store to read: a file path or a postgres:// URL.")
    var from: String

    @Option(name: .long, help: "The store to write: a file path (created when missing) or a postgres:// URL.")
    var to: String

    @Flag(name: .long, help: "Add to a target that already holds rows (refused when any id collides).")
    var append = false

    @Option(name: .long, help: "Rows per batch.")
    var batch = 5000

    @Flag(name: .long, help: "Print JSON instead of a line.")
    var json = false

    func run() throws {
        guard batch > 0 else { throw CLIError.usage("--batch must be positive") }
        let source = try StoreLocationChoice.parse(from, from: "--from")
        let target = try StoreLocationChoice.parse(to, from: "--to")
        if source == target { throw CLIError.usage("--from and --to name the same store") }
        let options = StoreCopyOptions(append: append, batchSize: batch)
        let report = try runBlocking { try await Self.copy(source, target, options) }
        if json {
            out(
                JSON.object([
                    ("from", .string(source.description)), ("to", .string(target.description)),
                    ("rows", .int(Int64(report.rows))), ("seconds", .number(report.seconds)),
                    ("tables", .array(report.tables.map { .object([("name", .string($0.name)), ("rows", .int(Int64($0.rows)))]) })),
                    ("checks", .array(report.checks.map { .object([("name", .string($0.name)), ("problems", .int(Int64($0.problems)))]) })),
                ]).text)
        } else {
            let rate = Double(report.rows) / max(report.seconds, 0.001)
            out(
                String(
                    format: "copied %d rows in %d tables from %@ to %@ in %.1f s (%.0f rows/s); row counts and counters checked",
                    report.rows, report.tables.count, source.description, target.description, report.seconds, rate))
        }
    }

    /// Opens both stores, copies, closes them; a new SQLite target is removed if the copy fails.
    static func copy(_ source: StoreLocation, _ target: StoreLocation, _ options: StoreCopyOptions) async throws
        -> StoreCopyReport
    {
        let from = try await open(source, create: false)
        var created: String?
        if case .sqlite(let path) = target, !FileManager.default.fileExists(atPath: path) { created = path }
        let into: OpenedStore
        do { into = try await open(target, create: true) } catch {
            if let created { removeStoreFile(created) }
            await from.close()
            throw error
        }
        let progress = CopyProgress()
        do {
            let report = try await StoreCopier.copy(from: from.store, to: into.store, options: options) { progress.show($0) }
            progress.finish()
            await into.close()
            await from.close()
            return report
        } catch {
            progress.finish()
            await into.close()
            await from.close()
            if let created { removeStoreFile(created) }
            throw StoreLocationChoice.cliError(error)
        }
    }

    /// A store opened for the copy, and how to close it.
    struct OpenedStore: Sendable {
        var store: any StoreTableCopying
        var closer: @Sendable () async -> Void
        func close() async { await closer() }
    }

    /// A new SQLite file the failed copy had created, with its WAL and shared-memory files.
    static func removeStoreFile(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static func open(_ location: StoreLocation, create: Bool) async throws -> OpenedStore {
        switch location {
        case .sqlite(let path):
            if !create && !FileManager.default.fileExists(atPath: path) {
                throw CLIError.notFound("no store at \(path)")
            }
            var options = StoreOptions()
            options.readOnly = !create
            let store = try TrackingStore(path: path, options: options)
            return OpenedStore(store: store, closer: {})
        case .postgres(let settings):
            let store = try await StoreLocationChoice.openPostgres(settings, create: create)
            return OpenedStore(store: store, closer: { await store.close() })
        }
    }
}

/// The copy's progress on stderr: a bar redrawn at most ten times a second on a terminal,
/// a line per finished table otherwise.
final class CopyProgress: @unchecked Sendable {
    private let lock = NSLock()
    private let isTerminal = isatty(2) == 1
    private var lastDraw = Date.distantPast
    private var drew = false
    private var table = ""

    func show(_ p: StoreCopyProgress) {
        lock.lock()
        defer { lock.unlock() }
        if isTerminal {
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.1 || p.rows == p.total else { return }
            lastDraw = now
            let fraction = p.total == 0 ? 1 : Double(p.rows) / Double(p.total)
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(
                Data(String(format: "\r[%@] %3.0f%% %@ %d/%d\u{1B}[K", bar, fraction * 100, p.table, p.tableRows, p.tableTotal).utf8))
            drew = true
        } else if p.tableRows == p.tableTotal && p.table != table {
            table = p.table
            err("  \(p.table): \(p.tableRows) rows (\(p.rows)/\(p.total))")
        }
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if drew { err("") }
        drew = false
    }
}
