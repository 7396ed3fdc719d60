import Foundation
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A private Postfix instance in a temp folder (`postfix -c DIR`) whose
/// smtpd listens on a loopback port, logging to `DIR/postfix.log`. What differs between
/// the tests that use one is in `PostfixOptions`. Needs root and Postfix (`make deps`);
/// `stop()` stops it.
public final class PrivatePostfix {
    public let dir: String
    public let smtpPort: Int
    public var logPath: String { dir + "/postfix.log" }

    /// Writes main.cf / master.cf / the maps, starts the instance and waits until smtpd answers.
    public init(dir: String, options: PostfixOptions = PostfixOptions()) throws {
        self.dir = dir
        smtpPort = try Self.freePort()
        for sub in ["etc", "spool", "data"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
        }
        try Self.check(Self.run("/bin/chown", ["postfix", "\(dir)/data"]), "chown")
        var main = """
            compatibility_level = 3.6
            queue_directory = \(dir)/spool
            data_directory = \(dir)/data
            meta_directory = /etc/postfix
            mail_owner = postfix
            setgid_group = postdrop
            myhostname = testhost.localdomain
            myorigin = testhost.localdomain
            mydestination =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            maillog_file = \(dir)/postfix.log
            maillog_file_prefixes = \(dir)
            default_transport = smtp
            relay_transport = smtp
            transport_maps = texthash:\(dir)/etc/transport
            smtpd_relay_restrictions = permit_mynetworks, reject
            smtp_tls_security_level = none
            alias_maps =
            alias_database =
            disable_dns_lookups = yes
            smtp_host_lookup = native
            queue_run_delay = 2s
            minimal_backoff_time = 2s
            maximal_backoff_time = 4s

            """
        try options.relays.map { "\($0.domain) smtp:[127.0.0.1]:\($0.port)\n" }.joined()
            .write(toFile: "\(dir)/etc/transport", atomically: true, encoding: .utf8)
        if !options.refusedRecipients.isEmpty {
            try options.refusedRecipients.map { "\($0.address) \($0.action)\n" }.joined()
                .write(toFile: "\(dir)/etc/access", atomically: true, encoding: .utf8)
            main += "smtpd_recipient_restrictions = check_recipient_access texthash:\(dir)/etc/access, permit_mynetworks, reject\n"
        }
        if let boxes = options.mailboxes {
            main += try boxes.configure(dir: dir)
        }
        main += try options.tls ? Self.tls(dir: dir) : "smtpd_tls_security_level = none\n"
        main += options.mainExtra.map { $0 + "\n" }.joined()
        try main.write(toFile: "\(dir)/etc/main.cf", atomically: true, encoding: .utf8)
        let services = [
            "pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite", "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce", "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap", "smtp unix - - n - - smtp", "relay unix - - n - - smtp",
            "showq unix n - n - - showq", "error unix - - n - - error", "retry unix - - n - - error",
            "discard unix - - n - - discard", "local unix - n n - - local", "virtual unix - n n - - virtual",
            "anvil unix - - n - 1 anvil", "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd",
            "tlsmgr unix - - n 1000? 1 tlsmgr",
        ]
        try (["127.0.0.1:\(smtpPort) inet n - n - - smtpd"] + services).joined(separator: "\n")
            .appending("\n").write(toFile: "\(dir)/etc/master.cf", atomically: true, encoding: .utf8)
        try Self.check(Self.run("/usr/sbin/postfix", ["-c", "\(dir)/etc", "start"]), "postfix start")
        for _ in 0..<50 {
            if Self.canConnect(port: smtpPort) { return }
            usleep(100_000)
        }
    }

    /// Whether this machine can run a private Postfix (the binary, root); a test that needs one
    /// fails (not skips) without: `guard PrivatePostfix.usable() else { return }`.
    public static func usable(file: StaticString = #filePath, line: UInt = #line) -> Bool {
        let installed = FileManager.default.isExecutableFile(atPath: "/usr/sbin/postfix")
        XCTAssertTrue(installed, "postfix missing: run `make deps`", file: file, line: line)
        XCTAssertEqual(getuid(), 0, "a private Postfix instance needs root", file: file, line: line)
        return installed && getuid() == 0
    }

    /// Stops the instance (its queue and log stay in `dir`).
    public func stop() {
        _ = try? Self.run("/usr/sbin/postfix", ["-c", "\(dir)/etc", "stop"])
    }

    /// The log so far.
    public var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Polls the log until `done` holds or `timeout` seconds pass; whether it held.
    public func waitForLog(timeout: Double = 60, _ done: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if done(log) { return true }
            usleep(200_000)
        }
        return done(log)
    }

    /// The Maildir of a mailbox folder (see `PostfixMailboxes`).
    public func maildir(_ folder: String) -> String { "\(dir)/mail/\(folder)" }

    /// Self-signed certificate and the smtpd lines offering STARTTLS with it.
    private static func tls(dir: String) throws -> String {
        try check(
            run(
                "/usr/bin/openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=testhost.localdomain", "-days", "1",
                 "-keyout", "\(dir)/etc/key.pem", "-out", "\(dir)/etc/cert.pem"]), "openssl")
        return """
            smtpd_tls_security_level = may
            smtpd_tls_cert_file = \(dir)/etc/cert.pem
            smtpd_tls_key_file = \(dir)/etc/key.pem
            smtpd_tls_loglevel = 1

            """
    }

    /// A loopback port nothing listens on now.
    public static func freePort() throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 20_000..<40_000)
            if !canConnect(port: port) { return port }
        }
        throw PostfixSetupError(step: "free port", output: "no free loopback port found")
    }

    /// Whether something accepts TCP connections on the loopback port.
    public static func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Runs a tool to its end: exit status and output (stdout and stderr).
    @discardableResult
    public static func run(_ tool: String, _ args: [String], env: [String: String] = [:]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in env { environment[k] = v }
        p.environment = environment
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private static func check(_ result: (Int32, String), _ step: String) throws {
        guard result.0 == 0 else { throw PostfixSetupError(step: step, output: result.1) }
    }
}

/// What differs between the private Postfix instances of the tests.
public struct PostfixOptions {
    /// Domains relayed to a loopback port (`transport_maps`), e.g. a fake MX, or a closed port for deferrals.
    public var relays: [(domain: String, port: Int)]
    /// Recipients smtpd refuses at RCPT time (`check_recipient_access`), with the access action
    /// (`REJECT 5.1.1 User unknown`); none: no recipient restrictions beyond relaying.
    public var refusedRecipients: [(address: String, action: String)]
    /// Local delivery into Maildirs on the test's own domains (the `virtual` delivery agent).
    public var mailboxes: PostfixMailboxes?
    /// smtpd offers STARTTLS with a fresh self-signed certificate.
    public var tls: Bool
    /// More main.cf lines (queue lifetimes, header_checks...).
    public var mainExtra: [String]

    public init(
        relays: [(domain: String, port: Int)] = [], refusedRecipients: [(address: String, action: String)] = [],
        mailboxes: PostfixMailboxes? = nil, tls: Bool = false, mainExtra: [String] = []
    ) {
        self.relays = relays
        self.refusedRecipients = refusedRecipients
        self.mailboxes = mailboxes
        self.tls = tls
        self.mainExtra = mainExtra
    }
}

/// Mailboxes Postfix delivers to itself (`virtual(8)` into `DIR/mail/FOLDER/`, Maildir format).
/// An address of a listed domain without a mailbox is accepted by smtpd and bounced by the
/// delivery agent (`unknown user`), so the bounce shows in the log and as a DSN.
public struct PostfixMailboxes {
    public var domains: [String]
    /// Address (or `@domain` for a catch-all) → folder under `DIR/mail`.
    public var boxes: [(address: String, folder: String)]

    public init(domains: [String], boxes: [(address: String, folder: String)]) {
        self.domains = domains
        self.boxes = boxes
    }

    /// Writes the mailbox map and returns the main.cf lines; the Maildirs belong to `nobody`.
    func configure(dir: String) throws -> String {
        let base = "\(dir)/mail"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        try boxes.map { "\($0.address) \($0.folder)/\n" }.joined()
            .write(toFile: "\(dir)/etc/vmailbox", atomically: true, encoding: .utf8)
        let (status, out) = try PrivatePostfix.run("/bin/chown", ["65534:65534", base])
        guard status == 0 else { throw PostfixSetupError(step: "chown mail", output: out) }
        return """
            virtual_mailbox_domains = \(domains.joined(separator: " "))
            virtual_mailbox_base = \(base)
            virtual_mailbox_maps = texthash:\(dir)/etc/vmailbox
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            virtual_minimum_uid = 100
            smtpd_reject_unlisted_recipient = no

            """
    }
}

/// A step of setting up the private Postfix failed.
public struct PostfixSetupError: Error, CustomStringConvertible {
    public var step: String
    public var output: String
    public var description: String { "\(step): \(output)" }
}
