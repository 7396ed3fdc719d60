/// Where a PostgreSQL store is and how to reach it: what a `postgres://` URL and the
/// libpq variables (`PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`, `PGPASSWORD`, `~/.pgpass`,
/// `PGSSLMODE`, `PGSSLROOTCERT`) resolve to.
///
/// Its `description` is the URL without the password, so it can be printed and logged;
/// the password itself is a `PostgresPassword`, which never prints its value either.
public struct PostgresSettings: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// A host name or address, or a folder holding the server's Unix socket (starts with `/`).
    public var host: String
    public var port: Int
    public var user: String
    public var database: String
    public var password: PostgresPassword?
    public var sslMode: PostgresSSLMode
    /// The certificate authorities `verify-ca` / `verify-full` trust (default: the system's).
    public var sslRootCert: String?

    public init(
        host: String, port: Int = 5432, user: String, database: String, password: PostgresPassword? = nil,
        sslMode: PostgresSSLMode = .prefer, sslRootCert: String? = nil
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.database = database
        self.password = password
        self.sslMode = sslMode
        self.sslRootCert = sslRootCert
    }

    /// Whether `host` names a Unix socket folder rather than a network host.
    public var isUnixSocket: Bool { host.hasPrefix("/") }

    /// `postgres://user@host:port/database?sslmode=…`: never the password.
    public var description: String {
        let hostPart: String
        if isUnixSocket {
            hostPart = "?host=\(host)&"
        } else {
            hostPart = ""
        }
        let shownHost = isUnixSocket ? "" : (host.contains(":") ? "[\(host)]" : host)
        let query = isUnixSocket ? "\(hostPart)sslmode=\(sslMode.rawValue)" : "?sslmode=\(sslMode.rawValue)"
        return "postgres://\(PostgresURL.escape(user))@\(shownHost):\(port)/\(PostgresURL.escape(database))\(query)"
    }

    public var debugDescription: String { description }
}

/// A password: kept for the connection, shown as `(hidden)` by `print`, `dump`,
/// string interpolation and `debugPrint` alike.
public struct PostgresPassword: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The secret itself (only the connection reads it).
    public let value: String
    public init(_ value: String) { self.value = value }
    public var description: String { "(hidden)" }
    public var debugDescription: String { "(hidden)" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

/// libpq's `sslmode` values this store serves.
public enum PostgresSSLMode: String, Sendable, CaseIterable {
    /// Plain TCP.
    case disable
    /// TLS when the server offers it, without checking its certificate (libpq's default).
    case prefer
    /// TLS or no connection, without checking the certificate.
    case require
    /// TLS with the certificate checked against the trusted authorities, not the host name.
    case verifyCA = "verify-ca"
    /// TLS with the certificate and the host name checked.
    case verifyFull = "verify-full"
}
