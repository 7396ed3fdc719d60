import Foundation

/// The built `chatter` (beside the test bundle, or `$CHATTER_BIN`) and a
/// scratch directory with a fresh demo store, for one test.
struct Binary {
    static var path: String {
        if let p = ProcessInfo.processInfo.environment["CHATTER_BIN"], !p.isEmpty { return p }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("chatter")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside.path }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent(".build/debug/chatter").path
    }

    /// Runs chatter to completion; returns status and standard output (stderr appended).
    @discardableResult
    static func run(_ args: [String], stdin: Data? = nil) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["CHATTER_AS"] = nil
        env["CHATTER_DB"] = nil
        p.environment = env
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        let input = Pipe()
        p.standardInput = input
        try p.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// The JSON output of a command.
    static func json(_ args: [String]) throws -> Any {
        let r = try run(args + ["--json"])
        guard r.status == 0 else { throw E2EError("chatter \(args) failed: \(r.out)") }
        return try JSONSerialization.jsonObject(with: Data(r.out.utf8))
    }
}

/// A temporary directory holding a demo store, removed at the end of the test.
final class Scratch {
    let dir: String
    var db: String { dir + "/store.sqlite" }

    init(demo: Bool = true, size: Int = 300) throws {
        dir = NSTemporaryDirectory() + "chatter-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        if demo {
            let r = try Binary.run(["demo", "--db", db, "--size", String(size)])
            guard r.status == 0 else { throw E2EError("demo failed: \(r.out)") }
        }
    }

    /// The shell command that runs the front under tmux and reports its exit status.
    func frontCommand(_ extra: String = "", env: String = "") -> String {
        "env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 \(env) '\(Binary.path)' ui --db '\(db)' \(extra); echo EXITED $?; sleep 30"
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }
}
