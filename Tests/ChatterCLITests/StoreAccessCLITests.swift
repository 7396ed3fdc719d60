import Foundation
import TestSupport
import XCTest

/// How the built `chatter` treats the store's files: what it creates is the owner's alone,
/// the default path follows the XDG variables, a store readable by others is warned about,
/// and the commands that only read open the store read-only (they work on a store the user
/// may only read, and leave a damaged one byte for byte as it was).
final class StoreAccessCLITests: XCTestCase {
    private var dir: URL!

    override func setUpWithError() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("chatter-access-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
    }

    override func tearDownWithError() throws {
        _ = chmod(dir.path, 0o755)
        if let names = try? FileManager.default.subpathsOfDirectory(atPath: dir.path) {
            for name in names { _ = chmod(dir.appendingPathComponent(name).path, 0o755) }
        }
        try? FileManager.default.removeItem(at: dir)
    }

    private func path(_ name: String) -> String { dir.appendingPathComponent(name).path }

    private func mode(_ path: String) throws -> Int {
        try XCTUnwrap(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    /// Runs chatter under umask 022 (the usual one), optionally as `nobody`, with `env` on top.
    private func chatter(_ args: [String], asNobody: Bool = false, env: [String: String] = [:]) throws -> ChatterBinary.Result {
        let binary = asNobody ? try binaryForNobody() : Chatter.binary.path
        let quoted = ([binary] + args).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let setpriv = asNobody ? "exec setpriv --reuid=nobody --regid=nogroup --clear-groups " : "exec "
        return try ChatterBinary.run(
            URL(fileURLWithPath: "/bin/sh"), ["-c", "umask 022; " + setpriv + quoted], env: env,
            unset: ["CHATTER_AS", "CHATTER_DB", "XDG_DATA_HOME"])
    }

    /// A copy of the binary `nobody` may run (the build folder may not be reachable to it).
    private func binaryForNobody() throws -> String {
        let copy = path("chatter-bin")
        if !FileManager.default.fileExists(atPath: copy) {
            try FileManager.default.copyItem(atPath: Chatter.binary.path, toPath: copy)
            _ = chmod(copy, 0o755)
        }
        return copy
    }

    private func demo(_ store: String) throws {
        let r = try chatter(["demo", "--db", store])
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testWhatChatterCreatesIsTheOwnersAlone() throws {
        let store = path("new/sub/store.sqlite")
        let post = try chatter([
            "post", "--db", store, "--as", "me@example.org", "--thread", "t/1", "--to", "a@example.org", "--subject", "s",
            "--body", "b",
        ])
        XCTAssertEqual(post.status, 0, post.stderr)
        XCTAssertEqual(try mode(path("new")), 0o700)
        XCTAssertEqual(try mode(path("new/sub")), 0o700)
        XCTAssertEqual(try mode(store), 0o600)
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: store + suffix) {
            XCTAssertEqual(try mode(store + suffix), 0o600, suffix)
        }
        let demoStore = path("demo/chatter.sqlite")
        try demo(demoStore)
        XCTAssertEqual(try mode(path("demo")), 0o700)
        XCTAssertEqual(try mode(demoStore), 0o600)
        let stats = try chatter(["stats", "--db", demoStore])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertEqual(stats.stderr, "", "no warning on a private store")
        for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: demoStore + suffix) {
            XCTAssertEqual(try mode(demoStore + suffix), 0o600, suffix)
        }
    }

    func testDefaultStorePathFollowsXDGThenHome() throws {
        let args = ["post", "--as", "me@example.org", "--thread", "t/1", "--to", "a@example.org", "--subject", "s", "--body", "b"]
        let home = try chatter(args, env: ["HOME": path("home")])
        XCTAssertEqual(home.status, 0, home.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("home/.local/share/chatter/chatter.sqlite")))
        let xdg = try chatter(args, env: ["HOME": path("home"), "XDG_DATA_HOME": path("xdg")])
        XCTAssertEqual(xdg.status, 0, xdg.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path("xdg/chatter/chatter.sqlite")))
    }

    func testAStoreReadableByOthersIsWarnedAbout() throws {
        let store = path("store.sqlite")
        try demo(store)
        XCTAssertEqual(chmod(store, 0o644), 0)
        let stats = try chatter(["stats", "--db", store])
        XCTAssertEqual(stats.status, 0, stats.stderr)
        XCTAssertTrue(stats.stderr.contains("\(store) is readable by other users (mode 644)"), stats.stderr)
    }

    func testReadOnlyCommandsWorkOnAStoreTheUserMayOnlyRead() throws {
        let folder = path("shared")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let store = folder + "/store.sqlite"
        try demo(store)
        // A colleague's store: readable, not writable, in a folder not writable either.
        XCTAssertEqual(chmod(store, 0o444), 0)
        XCTAssertEqual(chmod(folder, 0o555), 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        for command in [
            ["stats"], ["failed", "--as", "admin@yourcompany.example"], ["trackings", "--limit", "3"], ["events", "--limit", "3"],
            ["threads", "--limit", "3"], ["partners", "--limit", "3"], ["quarantine"], ["unmatched"], ["outbox"],
            ["stats", "--json"],
        ] {
            let r = try chatter(command + ["--db", store], asNobody: true)
            XCTAssertEqual(r.status, 0, "\(command): \(r.stderr)")
            XCTAssertFalse(r.stdout.isEmpty, "\(command)")
        }
        let write = try chatter(["event", "1", "open", "--db", store], asNobody: true)
        XCTAssertNotEqual(write.status, 0, "a write is still refused")
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store)), before)
    }

    func testADamagedStoreIsLeftAsItWasByFailed() throws {
        let store = path("store.sqlite")
        try demo(store)
        // Damage pages in the middle of the file (the header stays, so it still opens).
        let handle = try XCTUnwrap(FileHandle(forUpdatingAtPath: store))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: size / 2)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 64 * 1024))
        try handle.close()
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let failed = try chatter(["failed", "--as", "admin@yourcompany.example", "--db", store])
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: store)), before, "exit \(failed.status): \(failed.stderr)")
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: store + "-wal"))) ?? Data()
        XCTAssertEqual(wal.count, 0, "nothing written to its WAL either")
    }
}
