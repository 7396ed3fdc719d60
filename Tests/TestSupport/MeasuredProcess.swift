import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A child process whose own peak memory is read when it ends.
///
/// `getrusage(RUSAGE_CHILDREN)` gives the peak of *every* child the test process ever
/// waited for (a large demo store built by an earlier test, a database server's
/// `initdb`), so a bound on it measures whatever ran before. Nor can the test read its
/// child's peak from `wait4`: Linux starts a spawned child's peak at its parent's
/// resident size (the parent's memory is the child's until `exec`), and the test
/// process holds hundreds of MiB late in a run. So a small Python process runs the
/// command and reports its `RUSAGE_CHILDREN` peak: its only child's, started from a
/// few MiB. Output goes to files, so nothing can block on a full pipe.
public final class MeasuredProcess {
    /// What the finished child gave.
    public struct Outcome: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// The child's peak resident memory, in KiB.
        public var peakKiB: Int
    }

    private let pid: pid_t
    private let outPath: String
    private let errPath: String
    private let peakPath: String
    /// Runs argv[2:], then writes its peak (KiB) to argv[1] and exits with its status.
    private static let reporter = """
        import resource, subprocess, sys
        r = subprocess.run(sys.argv[2:])
        open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
        sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)
        """
    private var outcome: Outcome?

    /// Starts `executable` with `args`; standard input is `/dev/null`.
    public init(_ executable: URL, _ args: [String], env: [String: String] = [:]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("measured-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        outPath = dir.appendingPathComponent("stdout").path
        errPath = dir.appendingPathComponent("stderr").path
        peakPath = dir.appendingPathComponent("peak").path
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        var environment = ProcessInfo.processInfo.environment
        for name in ["CHATTER_AS", "CHATTER_DB", "CHATTER_SMTP_PASSWORD"] { environment[name] = nil }
        for (k, v) in env { environment[k] = v }
        let python = "/usr/bin/python3"
        let argv = ([python, "-c", Self.reporter, peakPath, executable.path] + args).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let rc = posix_spawn(&child, python, &actions, nil, argv, envp)
        guard rc == 0 else {
            throw NSError(domain: "MeasuredProcess", code: Int(rc), userInfo: [
                NSLocalizedDescriptionKey: "cannot start \(executable.path): \(String(cString: strerror(rc)))",
            ])
        }
        pid = child
    }

    /// Whether the child is still running (reaps it, and keeps its outcome, when it ended).
    public var isRunning: Bool { reap(blocking: false) == nil }

    /// Waits for the end and gives what the child printed, its exit status and its peak.
    public func wait() -> Outcome { reap(blocking: true)! }

    private func reap(blocking: Bool) -> Outcome? {
        if let outcome { return outcome }
        var status: Int32 = 0
        var got: pid_t
        repeat {
            got = waitpid(pid, &status, blocking ? 0 : WNOHANG)
        } while got == -1 && errno == EINTR
        guard got == pid else { return nil }
        // Exited: the code; killed: 128 + the signal, as a shell reports it.
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let read = { (path: String) in (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }
        let peak = Int(read(peakPath).trimmingCharacters(in: .whitespacesAndNewlines)) ?? Int.max
        let done = Outcome(status: code, stdout: read(outPath), stderr: read(errPath), peakKiB: peak)
        try? FileManager.default.removeItem(atPath: (outPath as NSString).deletingLastPathComponent)
        outcome = done
        return done
    }
}
