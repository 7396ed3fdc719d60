import Foundation
import TestSupport

/// The built `chatter` (beside the test bundle, or `$CHATTER_BIN`) and a
/// scratch directory with a fresh demo store, for one test.
struct Binary {
    static var path: String { ChatterBinary.path }

    /// Runs chatter to completion; returns status and standard output (stderr appended).
    @discardableResult
    static func run(_ args: [String], stdin: Data? = nil) throws -> (status: Int32, out: String) {
        let r = try ChatterBinary.run(args, stdin: stdin)
        return (r.status, r.stdout + r.stderr)
    }

    /// The JSON output of a command.
    static func json(_ args: [String]) throws -> Any {
        let r = try ChatterBinary.run(args + ["--json"])
        guard r.status == 0 else { throw E2EError("chatter \(args) failed: \(r.stdout)\(r.stderr)") }
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8))
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
    /// The front under a known terminal: colours on (swift test may export NO_COLOR), UTF-8.
    func frontCommand(_ extra: String = "", env: String = "") -> String {
        "env -u NO_COLOR TERM=xterm-256color LANG=C.UTF-8 \(env) '\(Binary.path)' ui --db '\(db)' \(extra); echo EXITED $?; sleep 30"
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }
}
