import NIOCore

/// How the connection to the submission server is protected.
public enum SMTPSecurity: String, Sendable, Hashable, CaseIterable {
    /// Plain text all along.
    case none
    /// STARTTLS required: a server that does not offer it is not used.
    case starttls
    /// STARTTLS when offered, else plain text, but then without AUTH: a password is only
    /// ever sent over TLS, or in clear with `none` chosen explicitly.
    case opportunistic
    /// TLS from the first byte (port 465).
    case tls
}

/// The RFC 5321 §4.5.3.2 timeouts, per stage (seconds); small in tests.
public struct SMTPTimeouts: Sendable, Hashable {
    public var connect: Double = 30
    public var greeting: Double = 300
    /// EHLO, STARTTLS, AUTH, RSET, QUIT.
    public var command: Double = 300
    public var mail: Double = 300
    public var rcpt: Double = 300
    public var dataInit: Double = 120
    /// The reply to the final "." (the server may be scanning the message).
    public var dataTermination: Double = 600

    public init() {}

    /// The longest one attempt can talk to the server: every stage's timeout (EHLO, STARTTLS,
    /// EHLO again and AUTH counted as commands) plus a minute for writing the data. A dead
    /// sender's attempt had surely ended this long after it started (see `PostfixLogEvidence`).
    public var attemptBudget: Double {
        connect + greeting + 4 * command + mail + rcpt + dataInit + dataTermination + 60
    }

    /// Every stage the same (tests).
    public static func all(_ seconds: Double) -> SMTPTimeouts {
        var t = SMTPTimeouts()
        t.connect = seconds
        t.greeting = seconds
        t.command = seconds
        t.mail = seconds
        t.rcpt = seconds
        t.dataInit = seconds
        t.dataTermination = seconds
        return t
    }
}

/// Where and how to submit: server, security, credentials, timeouts.
public struct SMTPConfig: Sendable {
    public var host: String
    public var port: Int
    public var security: SMTPSecurity
    /// The AUTH user; nil: no authentication.
    public var user: String?
    /// The password (from the environment or a command; never stored or logged).
    public var password: String?
    /// The name given in EHLO.
    public var heloName: String
    public var timeouts: SMTPTimeouts
    /// Check the server's certificate (off only for tests with a self-signed one).
    public var verifyCertificate: Bool
    /// Ask for DSNs (NOTIFY=FAILURE,DELAY, RET=HDRS, ENVID) when the server offers DSN.
    public var requestDSN: Bool

    public init(
        host: String, port: Int, security: SMTPSecurity = .opportunistic, user: String? = nil, password: String? = nil,
        heloName: String = "localhost", timeouts: SMTPTimeouts = SMTPTimeouts(), verifyCertificate: Bool = true,
        requestDSN: Bool = true
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.user = user
        self.password = password
        self.heloName = heloName
        self.timeouts = timeouts
        self.verifyCertificate = verifyCertificate
        self.requestDSN = requestDSN
    }

    /// The warning to print once when the password would go out in clear text (`none` with a
    /// user), nil otherwise.
    public var clearTextAuthWarning: String? {
        guard security == .none, user != nil else { return nil }
        return "--smtp-security none with a user: the SMTP password is sent in clear text to \(serverName)"
    }

    /// `host:port`, as recorded in `smtp_server` of events.
    public var serverName: String { "\(host):\(port)" }
}

extension Double {
    var timeAmount: TimeAmount { .milliseconds(Int64((self * 1000).rounded())) }
}
