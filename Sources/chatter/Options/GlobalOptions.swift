import ArgumentParser
import Foundation
import TrackingModel
import TrackingStore

/// Options every subcommand takes: where the store is, who "me" is, and JSON output.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: "The store file (default: $CHATTER_DB, else $XDG_DATA_HOME/chatter/chatter.sqlite, else ~/.local/share/chatter/chatter.sqlite).")
    var db: String?

    @Option(name: .customLong("as"), help: "The current user's email address (default: $CHATTER_AS, else the store's default user).")
    var user: String?

    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false

    /// The store path the options resolve to; a URL (`postgres://…`) is refused, never
    /// taken for a file name: this build opens SQLite files only.
    var storePath: String {
        get throws {
            let env = ProcessInfo.processInfo.environment
            if let db { return try Self.refusingURL(db, from: "--db") }
            if let p = env["CHATTER_DB"], !p.isEmpty { return try Self.refusingURL(p, from: "$CHATTER_DB") }
            return StoreFiles.defaultStorePath(env)
        }
    }

    /// A store given as `scheme://…` is refused with a usage error naming where it came from.
    static func refusingURL(_ path: String, from origin: String) throws -> String {
        if let scheme = urlScheme(path) {
            throw CLIError.usage(
                "\(origin) \(path) is a \(scheme):// URL; this build opens SQLite store files only (give a file path)")
        }
        return path
    }

    /// The scheme of `text` when it reads as `scheme://…` (RFC 3986 scheme characters).
    static func urlScheme(_ text: String) -> String? {
        guard let range = text.range(of: "://") else { return nil }
        let scheme = text[..<range.lowerBound].unicodeScalars
        func letter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(c) || ("A"..."Z").contains(c) }
        guard let first = scheme.first, letter(first),
            scheme.allSatisfy({ letter($0) || ("0"..."9").contains($0) || "+-.".unicodeScalars.contains($0) })
        else { return nil }
        return String(scheme)
    }

    /// Opens the store (creating it when `create`, else it must exist). `readOnly`: for the
    /// commands that only read (listings, dry runs): nothing is written, so they work on a
    /// store the user may only read and leave a damaged one as it is.
    func openStore(create: Bool = false, readOnly: Bool = false) throws -> TrackingStore {
        let path = try storePath
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw CLIError.notFound("no store at \(path) (create one with `chatter demo --db \(path)`)")
        }
        if let mode = StoreFiles.readableByOthers(path) {
            err(
                "chatter: warning: \(path) is readable by other users (mode \(String(mode, radix: 8))): "
                    + "it holds recipients, bodies and open addresses; chmod 600 it and its -wal and -shm")
        }
        var options = StoreOptions()
        options.readOnly = readOnly && !create
        return try TrackingStore(path: path, options: options)
    }

    /// The current user's partner, made a partner on first use when `create`.
    func currentUser(_ store: TrackingStore, create: Bool = true) throws -> PartnerRef {
        let env = ProcessInfo.processInfo.environment
        let email = try user ?? env["CHATTER_AS"].flatMap { $0.isEmpty ? nil : $0 } ?? store.setting("default_user")
        guard let email else {
            throw CLIError.usage("who are you? pass --as EMAIL (or set CHATTER_AS)")
        }
        if create { return try store.user(email: email) }
        guard let user = try store.findUser(email: email) else {
            throw CLIError.notFound("no partner with address \(email)")
        }
        return user
    }
}
