import Foundation
import Glibc
import XCTest

/// A private tmux server for one test: its own socket (`tmux -L NAME`), one
/// detached session of a fixed size, and deadline-bound waits on `capture-pane`.
/// `kill()` (call it in tearDown) ends the server and everything in it.
final class Tmux {
    let socket: String
    private static let counter = Counter()

    /// Starts a server with one session running `command` (through `sh -c`) at `width`×`height`.
    init(command: String, width: Int = 120, height: Int = 40) throws {
        socket = "chatter-e2e-\(getpid())-\(Self.counter.next())"
        let r = try run(["new-session", "-d", "-x", String(width), "-y", String(height), "-s", "t", command])
        guard r.status == 0 else { throw E2EError("tmux new-session failed: \(r.output)") }
        // Keep the pane after the program ends, so the "EXITED n" line stays readable.
        _ = try run(["set-option", "-g", "remain-on-exit", "on"])
    }

    /// Runs a tmux command on this server.
    @discardableResult
    func run(_ args: [String]) throws -> (status: Int32, output: String) {
        try Tmux.exec(["-L", socket] + args)
    }

    /// Runs tmux and waits for it with posix_spawn + waitpid, output to a file.
    /// Not Foundation's Process: it learns of the child's exit from a descriptor
    /// the child inherits, which the daemon a new-session starts keeps open.
    static func exec(_ args: [String]) throws -> (status: Int32, output: String) {
        let path = NSTemporaryDirectory() + "chatter-e2e-tmux-\(UUID().uuidString)"
        defer { unlink(path) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = (["tmux"] + args).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let rc = posix_spawnp(&pid, "tmux", &actions, nil, argv, environ)
        guard rc == 0 else { throw E2EError("cannot run tmux: \(String(cString: strerror(rc)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let data = FileManager.default.contents(atPath: path) ?? Data()
        let exited = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
        return (exited, String(decoding: data, as: UTF8.self))
    }

    /// Sends keys as tmux key names ("j", "Enter", "C-c", "Tab") or literal text with `literal`.
    func send(_ keys: String..., literal: Bool = false) throws {
        try run(["send-keys", "-t", "t"] + (literal ? ["-l"] : []) + keys)
    }

    /// The pane's text (with SGR escapes when `escapes`).
    func capture(escapes: Bool = false) throws -> String {
        try run(["capture-pane", "-p", "-t", "t"] + (escapes ? ["-e"] : [])).output
    }

    /// A tmux format of the pane, e.g. `#{pane_title}`.
    func format(_ f: String) throws -> String {
        try run(["display-message", "-p", "-t", "t", f]).output.trimmingCharacters(in: .newlines)
    }

    /// Waits until `predicate` holds for the captured pane, polling every 25 ms; fails after `timeout` seconds.
    @discardableResult
    func wait(
        _ what: String, timeout: Double = 10, escapes: Bool = false, file: StaticString = #filePath, line: UInt = #line,
        until predicate: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = try capture(escapes: escapes)
            if predicate(screen) { return screen }
            usleep(25_000)
        }
        XCTFail("timed out after \(timeout) s waiting for \(what); screen:\n\(screen)", file: file, line: line)
        throw E2EError("timed out waiting for \(what)")
    }

    /// Waits for `text` on screen.
    @discardableResult
    func wait(for text: String, timeout: Double = 10, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try wait("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Resizes the window (and so the pane).
    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "t", "-x", String(width), "-y", String(height)])
    }

    /// The pid of the pane's shell.
    func panePID() throws -> Int32 {
        Int32(try format("#{pane_pid}")) ?? -1
    }

    /// Ends the server and removes its socket file (tmux leaves it behind).
    func kill() {
        let path = (try? format("#{socket_path}")) ?? ""
        _ = try? run(["kill-server"])
        if !path.isEmpty { unlink(path) }
    }

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.withLock { n += 1; return n } }
    }
}

struct E2EError: Error, CustomStringConvertible {
    var description: String
    init(_ d: String) { description = d }
}
