import ArgumentParser
import Foundation
import PostgresStore
import TrackingModel
import TrackingStore

/// `chatter store backup PATH` and `chatter store check`.
struct StoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store", abstract: "Back up, check or copy the store.",
        subcommands: [StoreBackupCommand.self, StoreCheckCommand.self, StoreCopyCommand.self])
}

/// A consistent copy of the live store.
struct StoreBackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the store, consistently, while pollers and senders write to it (restore: copy it back).",
        discussion: "The copy is compacted (VACUUM INTO) and never overwrites a file. To restore, stop the services, "
            + "remove the store's -wal and -shm files, and copy the backup over the store.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: "Where to write the copy (must not exist).")
    var path: String

    func run() throws {
        let store = try global.openStore()
        let started = Date()
        let bytes = try store.backup(to: path)
        let seconds = Date().timeIntervalSince(started)
        if global.json {
            out(JSON.object([("path", .string(path)), ("bytes", .int(bytes)), ("seconds", .number(seconds))]).text)
        } else {
            out(String(format: "backed up %@ to %@ (%@) in %.1f s", store.path, path, StoreRetention.mib(bytes), seconds))
        }
    }
}

/// SQLite's checks and the counters' cross-checks (on PostgreSQL, the counters' cross-checks:
/// the server enforces the foreign keys itself).
struct StoreCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the store's integrity and its counters; exit 3 when something is wrong.")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let items: [StoreCheckItem]
        if case .postgres(let settings) = try global.storeLocation {
            items = try runBlocking {
                let store = try await StoreLocationChoice.openPostgres(settings, create: false)
                do {
                    let checks = try await store.check()
                    await store.close()
                    return checks
                } catch {
                    await store.close()
                    throw StoreLocationChoice.cliError(error)
                }
            }
        } else {
            items = try global.openStore().check()
        }
        if global.json {
            out(
                JSON.object([
                    ("ok", .bool(items.allSatisfy { $0.problems == 0 })),
                    (
                        "checks",
                        .array(
                            items.map {
                                .object([("name", .string($0.name)), ("problems", .int(Int64($0.problems))), ("detail", .string($0.detail))])
                            })
                    ),
                ]).text)
        } else {
            for item in items { out("\(item.name): \(item.problems == 0 ? "ok" : "\(item.problems) problem(s): \(item.detail)")") }
        }
        let bad = items.filter { $0.problems > 0 }
        if !bad.isEmpty {
            throw StoreError.storage("store check found problems: " + bad.map { "\($0.name) (\($0.problems))" }.joined(separator: ", "))
        }
    }
}
