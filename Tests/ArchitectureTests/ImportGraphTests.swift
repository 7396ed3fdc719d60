import Foundation
import XCTest

/// The targets' import graph stays the intended one: each target under
/// `Sources/` imports only the targets (and guarded packages) its row allows.
/// Tightening a rule is one line here; a new target needs its row.
final class ImportGraphTests: XCTestCase {
    /// Modules whose imports are checked: our own targets (the folders under
    /// `Sources/`) and these packages. System modules and the other packages
    /// (NIO, Hummingbird, TOMLKit, ...) are left to Package.swift.
    static let guardedPackages: Set<String> = ["GRDB", "GRDBSQLite", "ArgumentParser", "TOMLKit"]

    /// What each target may import among the guarded modules.
    static let allowed: [String: Set<String>] = [
        "TrackingModel": [],
        // The PostgreSQL store: its SQL and PostgresNIO, never GRDB.
        "PostgresStore": ["TrackingModel"],
        // Copies between any two stores through what each offers: no SQL of its own.
        "StoreCopy": ["TrackingModel"],
        "TermGrid": [],
        "CZlib": [],
        "CNCursesW": [],
        "CTerminalSupport": [],
        "CBuildInfo": [],
        "TrackingStore": ["TrackingModel", "GRDB", "GRDBSQLite"],
        // CivilDate, for RFC 5322 dates.
        "MailFormat": ["TrackingModel"],
        "HTTPFetch": [],
        // The one config.toml reader.
        "ConfigFile": ["TOMLKit"],
        // Pure parsers: no store, no files.
        "DeliverySignals": ["TrackingModel", "MailFormat"],
        "EventIngest": [
            "TrackingModel", "TrackingStore", "DeliverySignals", "MailFormat", "HTTPFetch", "ConfigFile", "CZlib",
        ],
        // The sender takes any store through its outbox role: it never knows which one.
        "Outbox": ["TrackingModel", "MailFormat"],
        // The server takes any store through its serve and ingest roles: it never knows which one.
        "PixelServer": ["TrackingModel", "DeliverySignals", "HTTPFetch"],
        "ChatterUI": ["TrackingModel", "TermGrid"],
        "CursesTerminal": ["TermGrid", "CNCursesW", "CTerminalSupport"],
        "curses-probe": ["CursesTerminal", "TermGrid"],
        // TrackingStore and PostgresStore: each store's change source (data_version, LISTEN) only;
        // everything else reaches the store through the role protocols of TrackingModel.
        "ChatterRuntime": [
            "TrackingModel", "TrackingStore", "TermGrid", "ChatterUI", "CursesTerminal", "CTerminalSupport",
            "EventIngest", "Outbox", "PostgresStore",
        ],
        "chatter": [
            "TrackingModel", "TrackingStore", "TermGrid", "ChatterRuntime", "CBuildInfo", "ConfigFile",
            "DeliverySignals", "EventIngest", "Outbox", "PixelServer", "ArgumentParser", "PostgresStore", "StoreCopy",
        ],
        // GRDBSQLite: the C-API baseline the store's write path is measured against; PostgresStore:
        // the PostgreSQL store, measured against its own statements on a bare PostgresNIO connection,
        // and its live-change latency.
        "chatter-bench": [
            "TrackingModel", "TrackingStore", "EventIngest", "DeliverySignals", "GRDBSQLite", "ArgumentParser",
            "PostgresStore",
        ],
    ]

    /// Imports today's code makes that the intended shape does not allow, each
    /// with why it stays for now. Removing a line here tightens the rule.
    static let knownExceptions: [String: Set<String>] = [:]

    func testEveryTargetImportsOnlyWhatItsRowAllows() throws {
        let sources = Self.packageRoot.appendingPathComponent("Sources")
        let targets = try FileManager.default.contentsOfDirectory(atPath: sources.path).filter {
            var isDir: ObjCBool = false
            return FileManager.default.fileExists(atPath: sources.appendingPathComponent($0).path, isDirectory: &isDir)
                && isDir.boolValue
        }
        XCTAssertGreaterThan(targets.count, 10, "the targets under \(sources.path)")
        let guarded = Set(targets).union(Self.guardedPackages)
        var checkedFiles = 0
        for target in targets.sorted() {
            guard let allowed = Self.allowed[target] else {
                XCTFail("\(target) has no row in the allowed import table")
                continue
            }
            let permitted = allowed.union(Self.knownExceptions[target] ?? [])
            for file in try Self.swiftFiles(in: sources.appendingPathComponent(target)) {
                checkedFiles += 1
                let text = try String(contentsOf: file, encoding: .utf8)
                for (line, module) in Self.imports(in: text) where guarded.contains(module) && !permitted.contains(module) {
                    XCTFail("\(target) must not import \(module): Sources/\(target)/\(file.lastPathComponent):\(line)")
                }
            }
        }
        XCTAssertGreaterThan(checkedFiles, 100, "Swift files read")
        for target in Self.allowed.keys where !targets.contains(target) {
            XCTFail("the table names \(target), which is not a folder under Sources/")
        }
    }

    /// The front's runtime reaches its store through the role protocols only: a store
    /// target is imported by a change source of that store and by nothing else there.
    func testTheRuntimeKnowsAStoreOnlyInItsChangeSource() throws {
        let folder = Self.packageRoot.appendingPathComponent("Sources/ChatterRuntime")
        let stores: Set<String> = ["TrackingStore", "PostgresStore", "GRDB"]
        var sources = 0
        for file in try Self.swiftFiles(in: folder) {
            let text = try String(contentsOf: file, encoding: .utf8)
            let named = Self.imports(in: text).filter { stores.contains($0.module) }
            if file.lastPathComponent.hasSuffix("ChangeSource.swift") {
                sources += named.isEmpty ? 0 : 1
                continue
            }
            for (line, module) in named {
                XCTFail("ChatterRuntime/\(file.lastPathComponent):\(line) imports \(module); use the role protocols")
            }
        }
        XCTAssertEqual(sources, 2, "the SQLite and the PostgreSQL change sources")
    }

    /// Every known exception is still needed: one that the code no longer makes is removed from the table.
    func testKnownExceptionsAreStillMade() throws {
        let sources = Self.packageRoot.appendingPathComponent("Sources")
        for (target, modules) in Self.knownExceptions {
            var made: Set<String> = []
            for file in try Self.swiftFiles(in: sources.appendingPathComponent(target)) {
                made.formUnion(Self.imports(in: try String(contentsOf: file, encoding: .utf8)).map(\.module))
            }
            for module in modules where !made.contains(module) {
                XCTFail("\(target) no longer imports \(module): drop the exception")
            }
        }
    }

    /// The table keeps the architecture's rules (so loosening it is seen in review).
    func testTheTableKeepsTheArchitectureRules() {
        XCTAssertEqual(Self.allowed["ChatterUI"], ["TrackingModel", "TermGrid"], "ChatterUI is pure")
        XCTAssertEqual(Self.allowed["TrackingModel"], [], "TrackingModel imports no other target")
        XCTAssertEqual(Self.allowed["TermGrid"], [], "TermGrid imports no other target")
        XCTAssertEqual(Self.allowed["DeliverySignals"], ["TrackingModel", "MailFormat"], "the parsers are pure")
        XCTAssertFalse(Self.allowed["PixelServer", default: []].contains("EventIngest"), "the server needs no poller")
        XCTAssertFalse(Self.allowed["PixelServer", default: []].contains("TrackingStore"), "the server takes the store roles, either store")
        for (target, modules) in Self.allowed {
            if target != "CursesTerminal" { XCTAssertFalse(modules.contains("CNCursesW"), "only CursesTerminal calls curses: \(target)") }
            if target != "TrackingStore" && target != "chatter-bench" {
                XCTAssertTrue(modules.isDisjoint(with: ["GRDB", "GRDBSQLite"]), "only TrackingStore uses GRDB: \(target)")
            }
            if target != "chatter" && target != "chatter-bench" {
                XCTAssertFalse(modules.contains("ArgumentParser"), "only the executables parse arguments: \(target)")
            }
        }
        XCTAssertTrue(Self.allowed["chatter", default: []].isDisjoint(with: ["GRDB", "GRDBSQLite"]))
        for (target, modules) in Self.allowed where target != "ConfigFile" {
            XCTAssertFalse(modules.contains("TOMLKit"), "only ConfigFile reads config.toml: \(target)")
        }
    }

    /// The parsers are pure: bytes in, parsed events out. No file, no network, no clock in
    /// `DeliverySignals` and `MailFormat` (the readers and the poller live in EventIngest).
    func testParsersTouchNoFilesNetworkOrClock() throws {
        let sources = Self.packageRoot.appendingPathComponent("Sources")
        let forbidden = ["FileManager", "FileHandle", "fopen(", "URLSession", "Date()", "ProcessInfo", "DispatchQueue"]
        var read = 0
        for target in ["DeliverySignals", "MailFormat"] {
            for file in try Self.swiftFiles(in: sources.appendingPathComponent(target)) {
                read += 1
                let lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                for (i, line) in lines.enumerated() where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                    for word in forbidden where line.contains(word) {
                        XCTFail("\(target) is pure, but uses \(word): Sources/\(target)/\(file.lastPathComponent):\(i + 1)")
                    }
                }
            }
        }
        XCTAssertGreaterThan(read, 40, "parser files read")
    }

    /// The import reader sees every form of import line, and nothing else.
    func testImportLinesAreRead() {
        let text = """
            import Foundation
            @testable import ChatterUI
            @preconcurrency import GRDB
            import struct TrackingStore.PostRequest
            #if canImport(Glibc)
                import Glibc
            #endif
            // import NotThis
            let important = "import NorThis"
            """
        XCTAssertEqual(
            Self.imports(in: text).map(\.module), ["Foundation", "ChatterUI", "GRDB", "TrackingStore", "Glibc"])
        XCTAssertEqual(Self.imports(in: text).map(\.line), [1, 2, 3, 4, 6])
    }

    /// The modules a source file imports, with their line numbers.
    static func imports(in text: String) -> [(line: Int, module: String)] {
        let pattern =
            #"^\s*(?:@[A-Za-z_]+(?:\([^)]*\))?\s+)*import\s+(?:(?:typealias|struct|class|enum|protocol|let|var|func)\s+)?([A-Za-z_][A-Za-z0-9_]*)"#
        let regex = try! NSRegularExpression(pattern: pattern)
        var found: [(Int, String)] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let s = String(line)
            guard let m = regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)),
                let r = Range(m.range(at: 1), in: s)
            else { continue }
            found.append((i + 1, String(s[r])))
        }
        return found
    }

    static func swiftFiles(in dir: URL) throws -> [URL] {
        guard let e = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [] }
        return e.compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" }
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
