import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A private PostgreSQL 15 server for the tests: `initdb` + `pg_ctl` in a temporary folder,
/// listening on a free loopback port, run as the `postgres` OS user (the server refuses root).
///
/// One cluster serves a whole test process (`shared`); each test takes a fresh database of
/// its own (`createDatabase`). It is stopped at the end whatever happens: when the test
/// bundle finishes, at `exit`, and, should the test process be killed, by a watchdog shell
/// that stops it once the test process is gone. TCP connections authenticate with a
/// password (SCRAM), so the client's password path is the real one.
public final class PostgresTestCluster: @unchecked Sendable {
    /// Where PostgreSQL 15's programs are (Debian's `postgresql-15`).
    public static let binDir = "/usr/lib/postgresql/15/bin"
    /// The superuser the tests connect as, and its password.
    public static let user = "postgres"
    public static let password = "chatter-test-secret"

    /// The folder holding the data directory, the socket and the server log.
    public let dir: String
    public let port: Int
    public var host: String { "127.0.0.1" }
    private let lock = NSLock()
    private var stopped = false
    private var databaseCount = 0

    /// `postgres://postgres:PASSWORD@127.0.0.1:PORT/NAME`, for the store and the CLI.
    public func url(database: String, password: Bool = true) -> String {
        let auth = password ? "\(Self.user):\(Self.password)" : Self.user
        return "postgres://\(auth)@\(host):\(port)/\(database)?sslmode=disable"
    }

    nonisolated(unsafe) private static var sharedCluster: PostgresTestCluster?
    nonisolated(unsafe) private static var sharedError: String?
    private static let sharedLock = NSLock()

    /// The process's cluster, started on first use. Fails the calling test (never skips it)
    /// when PostgreSQL is missing (`make deps` installs it) or does not start.
    public static func shared(file: StaticString = #filePath, line: UInt = #line) throws -> PostgresTestCluster {
        sharedLock.lock()
        defer { sharedLock.unlock() }
        if let c = sharedCluster { return c }
        if let e = sharedError { throw ClusterError.failed(e) }
        do {
            let c = try PostgresTestCluster()
            sharedCluster = c
            atexit { PostgresTestCluster.stopShared() }
            XCTestObservationCenter.shared.addTestObserver(StopAtBundleEnd())
            return c
        } catch {
            sharedError = "\(error)"
            throw error
        }
    }

    /// Stops the shared cluster if one was started (at the end of the bundle and at exit).
    public static func stopShared() {
        sharedLock.lock()
        let c = sharedCluster
        sharedLock.unlock()
        c?.stop()
    }

    /// Creates, starts and waits for a new cluster.
    public init() throws {
        guard FileManager.default.isExecutableFile(atPath: "\(Self.binDir)/initdb") else {
            throw ClusterError.failed("PostgreSQL 15 is missing (\(Self.binDir)/initdb): run `make deps`")
        }
        guard getuid() == 0 else { throw ClusterError.failed("starting a test cluster as the postgres user needs root") }
        // Under /tmp whatever TMPDIR says: the postgres user must be able to reach it.
        dir = "/tmp/chatter-pg-" + UUID().uuidString.prefix(8)
        port = try Self.freePort()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        do {
            try start()
        } catch {
            stop()
            throw error
        }
    }

    /// The server's self-signed certificate (CN and SAN `localhost`, SAN IP 127.0.0.1): what
    /// `sslrootcert` names for `verify-ca` / `verify-full`.
    public var certificatePath: String { "\(dir)/server.crt" }

    private func start() throws {
        try Self.password.write(toFile: "\(dir)/pwfile", atomically: true, encoding: .utf8)
        try Self.check(
            Self.run(
                "/usr/bin/openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", "\(dir)/server.key", "-out", certificatePath]),
            "openssl")
        chmod("\(dir)/server.key", 0o600)
        try Self.check(Self.run("/bin/chown", ["-R", "postgres:postgres", dir]), "chown")
        try Self.check(
            Self.asPostgres(
                "initdb", ["-D", "\(dir)/data", "--no-sync", "-U", Self.user, "--pwfile=\(dir)/pwfile",
                    "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8"]),
            "initdb")
        watch()
        let options = [
            "-p \(port)", "-k \(dir)", "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off",
            "-c full_page_writes=off", "-c max_connections=60", "-c shared_buffers=64MB",
            // TLS offered (not required), so every sslmode can be tried against it.
            "-c ssl=on", "-c ssl_cert_file=\(certificatePath)", "-c ssl_key_file=\(dir)/server.key",
            // Deadlocks are found after 0.1 s instead of 1 s: the concurrency tests provoke some.
            "-c deadlock_timeout=100ms",
        ].joined(separator: " ")
        try Self.check(
            Self.asPostgres("pg_ctl", ["-D", "\(dir)/data", "-l", "\(dir)/server.log", "-w", "-t", "60", "-o", options, "start"]),
            "pg_ctl start (log: \(dir)/server.log)")
    }

    /// A new empty database (owned by the superuser); its name.
    public func createDatabase(prefix: String = "t") throws -> String {
        lock.lock()
        databaseCount += 1
        let name = "\(prefix)_\(databaseCount)_\(UInt32.random(in: 0...UInt32.max))"
        lock.unlock()
        try psql("CREATE DATABASE \(name)")
        return name
    }

    /// Runs SQL through `psql` over the socket (administration only: the code under test
    /// uses its own client). Returns what psql printed (unaligned, tuples only).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        let r = try Self.asPostgres(
            "psql", ["-h", dir, "-p", "\(port)", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAtX", "-c", sql])
        try Self.check(r, "psql \(sql)")
        return r.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Stops the server at once (`-m immediate`) and removes its folder; safe to call twice.
    public func stop() {
        lock.lock()
        if stopped {
            lock.unlock()
            return
        }
        stopped = true
        lock.unlock()
        _ = try? Self.asPostgres("pg_ctl", ["-D", "\(dir)/data", "-m", "immediate", "-w", "stop"])
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// A shell, detached from the test process, that stops the server once the test process
    /// is gone (a `kill -9` runs no atexit handler).
    private func watch() {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 1; done
            if [ -f '\(dir)/data/postmaster.pid' ]; then
              runuser -u postgres -- '\(Self.binDir)/pg_ctl' -D '\(dir)/data' -m immediate stop >/dev/null 2>&1
            fi
            rm -rf '\(dir)'
            """
        // Its own session (`setsid -f` returns at once); `run` closes what it would inherit.
        _ = try? Self.run("/usr/bin/setsid", ["-f", "/bin/sh", "-c", script])
    }

    private final class StopAtBundleEnd: NSObject, XCTestObservation {
        func testBundleDidFinish(_ testBundle: Bundle) { PostgresTestCluster.stopShared() }
    }

    public enum ClusterError: Error, CustomStringConvertible {
        case failed(String)
        public var description: String {
            switch self {
            case .failed(let m): return "test PostgreSQL: \(m)"
            }
        }
    }

    struct Output {
        var status: Int32
        var out: String
        var err: String
    }

    private static func asPostgres(_ program: String, _ args: [String]) throws -> Output {
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", "\(binDir)/\(program)"] + args)
    }

    private static func check(_ r: Output, _ what: String) throws {
        if r.status != 0 { throw ClusterError.failed("\(what) failed (\(r.status)): \(r.err)\(r.out)") }
    }

    /// Runs a program to its end, its output captured in files. Not Foundation's `Process`:
    /// it learns that a child ended when a socket the child inherited closes, and the server
    /// `pg_ctl` starts (or the watchdog) would inherit it and live on. Here the child closes
    /// every descriptor above 2 before `exec`, and we wait for its own pid.
    private static func run(_ path: String, _ args: [String]) throws -> Output {
        let base = NSTemporaryDirectory() + "chatter-pg-run-" + UUID().uuidString
        defer {
            unlink(base + ".out")
            unlink(base + ".err")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // bash, not sh: dash reads `exec 10>&-` as a command named 10.
        let closeAbove2 = #"for fd in /proc/$$/fd/*; do n=${fd##*/}; if [ "$n" -gt 2 ]; then eval "exec $n>&-"; fi; done; exec "$@""#
        let argv = ["/bin/bash", "-c", closeAbove2, "bash", path] + args
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for p in cArgs { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, "/bin/bash", &actions, nil, &cArgs, environ)
        guard rc == 0 else { throw ClusterError.failed("posix_spawn \(path): \(rc)") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let exited = (status & 0x7f) == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let out = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let err = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        return Output(status: code, out: out, err: err)
    }

    /// A loopback port nobody listens on now (bound, read, closed).
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClusterError.failed("socket()") }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) }
        }
        guard bound == 0 else { throw ClusterError.failed("bind()") }
        let named = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) }
        }
        guard named == 0 else { throw ClusterError.failed("getsockname()") }
        return Int(UInt16(bigEndian: addr.sin_port))
    }
}
