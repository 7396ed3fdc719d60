import Foundation

/// A private Postfix instance in a temp folder (`postfix -c DIR`, SOURCES.md §1.2)
/// whose smtpd listens on a loopback port and relays `remote.test` to a given
/// port; `bad@remote.test` is refused at RCPT time. Needs root and Postfix
/// (`make deps`); `stop()` stops it.
final class PrivatePostfix {
    let dir: String
    let smtpPort: Int
    var logPath: String { dir + "/postfix.log" }

    /// `tls`: smtpd offers STARTTLS with a fresh self-signed certificate.
    init(dir: String, relayPort: Int, tls: Bool = false) throws {
        self.dir = dir
        smtpPort = Int.random(in: 30_000..<40_000)
        for sub in ["etc", "spool", "data"] {
            try FileManager.default.createDirectory(atPath: "\(dir)/\(sub)", withIntermediateDirectories: true)
        }
        _ = try Self.run("/bin/chown", ["postfix", "\(dir)/data"])
        var tlsLines = "smtpd_tls_security_level = none"
        if tls {
            let (status, out) = try Self.run(
                "/usr/bin/openssl",
                ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=testhost.localdomain", "-days", "1",
                 "-keyout", "\(dir)/etc/key.pem", "-out", "\(dir)/etc/cert.pem"])
            guard status == 0 else { throw NSError(domain: "openssl: \(out)", code: Int(status)) }
            tlsLines = """
                smtpd_tls_security_level = may
                smtpd_tls_cert_file = \(dir)/etc/cert.pem
                smtpd_tls_key_file = \(dir)/etc/key.pem
                smtpd_tls_loglevel = 1
                """
        }
        try """
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
            smtpd_recipient_restrictions = check_recipient_access texthash:\(dir)/etc/access, permit_mynetworks, reject
            smtp_tls_security_level = none
            \(tlsLines)
            alias_maps =
            alias_database =
            disable_dns_lookups = yes
            smtp_host_lookup = native
            queue_run_delay = 2s
            minimal_backoff_time = 2s
            maximal_backoff_time = 4s

            """.write(toFile: "\(dir)/etc/main.cf", atomically: true, encoding: .utf8)
        let services = [
            "pickup unix n - n 60 1 pickup", "cleanup unix n - n - 0 cleanup", "qmgr unix n - n 300 1 qmgr",
            "rewrite unix - - n - - trivial-rewrite", "bounce unix - - n - 0 bounce", "defer unix - - n - 0 bounce",
            "trace unix - - n - 0 bounce", "verify unix - - n - 1 verify", "flush unix n - n 1000? 0 flush",
            "proxymap unix - - n - - proxymap", "smtp unix - - n - - smtp", "relay unix - - n - - smtp",
            "showq unix n - n - - showq", "error unix - - n - - error", "retry unix - - n - - error",
            "discard unix - - n - - discard", "local unix - n n - - local", "anvil unix - - n - 1 anvil",
            "scache unix - - n - 1 scache", "postlog unix-dgram n - n - 1 postlogd", "tlsmgr unix - - n 1000? 1 tlsmgr",
        ]
        try (["127.0.0.1:\(smtpPort) inet n - n - - smtpd"] + services).joined(separator: "\n")
            .appending("\n").write(toFile: "\(dir)/etc/master.cf", atomically: true, encoding: .utf8)
        try "remote.test smtp:[127.0.0.1]:\(relayPort)\n".write(toFile: "\(dir)/etc/transport", atomically: true, encoding: .utf8)
        try "bad@remote.test REJECT 5.1.1 User unknown in this test\n"
            .write(toFile: "\(dir)/etc/access", atomically: true, encoding: .utf8)
        let (status, log) = try Self.run("/usr/sbin/postfix", ["-c", "\(dir)/etc", "start"])
        guard status == 0 else { throw NSError(domain: "postfix start: \(log)", code: Int(status)) }
        // Wait until smtpd answers.
        for _ in 0..<50 {
            if Self.canConnect(port: smtpPort) { return }
            usleep(100_000)
        }
    }

    func stop() {
        _ = try? Self.run("/usr/sbin/postfix", ["-c", "\(dir)/etc", "stop"])
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    static func canConnect(port: Int) -> Bool {
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

    @discardableResult
    static func run(_ tool: String, _ args: [String]) throws -> (Int32, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
