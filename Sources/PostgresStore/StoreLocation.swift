import Foundation

/// Which store `--db` / `CHATTER_DB` name: an SQLite file (a path, as always) or a
/// PostgreSQL database (a `postgres://` or `postgresql://` URL, completed by the libpq
/// variables). Any other `scheme://` is refused rather than taken for a file name.
public enum StoreLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresSettings)

    /// Reads `text`. `environment` supplies `PGHOST`, `PGPORT`, `PGUSER`, `PGDATABASE`,
    /// `PGPASSWORD`, `PGPASSFILE`, `PGSSLMODE`, `PGSSLROOTCERT`, `HOME` and `USER` for what
    /// the URL leaves out (the URL wins); a password missing from both is looked up in
    /// the password file (`PGPASSFILE`, else `~/.pgpass`), as libpq does.
    public static func parse(_ text: String, environment: [String: String]) throws(PostgresStoreError) -> StoreLocation {
        guard let scheme = urlScheme(text) else { return .sqlite(path: text) }
        guard PostgresURL.schemes.contains(scheme.lowercased()) else {
            throw .invalidLocation(
                "\(scheme):// is not a store location: give a file path (SQLite) or a postgres:// URL")
        }
        let parts = try PostgresURL.parse(text)
        return .postgres(try settings(parts, environment: environment))
    }

    /// The URL's parts completed by the environment and libpq's defaults.
    static func settings(_ parts: PostgresURL.Parts, environment env: [String: String]) throws(PostgresStoreError)
        -> PostgresSettings
    {
        func variable(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        let host = parts.host ?? variable("PGHOST") ?? "localhost"
        var port = 5432
        if let p = parts.port {
            port = p
        } else if let p = variable("PGPORT") {
            port = try PostgresURL.port(p)
        }
        let user = parts.user ?? variable("PGUSER") ?? variable("USER") ?? "postgres"
        let database = parts.database ?? variable("PGDATABASE") ?? user
        let modeText = parts.sslMode ?? variable("PGSSLMODE") ?? PostgresSSLMode.prefer.rawValue
        guard let mode = PostgresSSLMode(rawValue: modeText) else {
            throw .invalidLocation(
                "sslmode \(modeText) is not served (use one of: "
                    + PostgresSSLMode.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        var password = parts.password ?? variable("PGPASSWORD")
        if password == nil, let file = variable("PGPASSFILE") ?? variable("HOME").map({ $0 + "/.pgpass" }) {
            password = PgPass.lookup(file: file, host: host, port: port, database: database, user: user)
        }
        return PostgresSettings(
            host: host, port: port, user: user, database: database, password: password.map(PostgresPassword.init),
            sslMode: mode, sslRootCert: parts.sslRootCert ?? variable("PGSSLROOTCERT"))
    }

    /// The scheme of `text` when it reads as `scheme://…` (RFC 3986 scheme characters).
    public static func urlScheme(_ text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound].unicodeScalars
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = scheme.first, letter(first),
            scheme.allSatisfy({ letter($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return nil }
        return String(scheme)
    }

    /// The path, or the URL without its password.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let settings): return settings.description
        }
    }
}

/// libpq's password file: lines `host:port:database:user:password`, `*` matching anything,
/// `\:` and `\\` escaping; the first matching line wins. Like libpq, a file that others
/// may read or write is ignored (with no password taken from it).
enum PgPass {
    static func lookup(file: String, host: String, port: Int, database: String, user: String) -> String? {
        var info = stat()
        guard stat(file, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o077 == 0,
            let text = try? String(contentsOfFile: file, encoding: .utf8)
        else { return nil }
        // libpq matches "localhost" for a socket connection; a socket folder is written as is too.
        let hosts: Set<String> = host.hasPrefix("/") ? [host, "localhost"] : [host]
        for line in text.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            func matches(_ field: String, _ value: String) -> Bool { field == "*" || field == value }
            if (fields[0] == "*" || hosts.contains(fields[0])) && matches(fields[1], String(port))
                && matches(fields[2], database) && matches(fields[3], user)
            {
                return fields[4]
            }
        }
        return nil
    }

    /// The fields of one line, with `\:` and `\\` unescaped.
    static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for c in line {
            if escaped {
                current.append(c)
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else if c == ":" && fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
