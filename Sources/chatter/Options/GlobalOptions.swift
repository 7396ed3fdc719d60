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

    /// The store path the options resolve to, for the commands that serve SQLite files only:
    /// a PostgreSQL URL is refused naming the commands that serve it, any other URL is refused,
    /// and neither is ever taken for a file name.
    var storePath: String {
        get throws {
            switch try storeLocation {
            case .sqlite(let path): return path
            case .postgres(let settings):
                throw CLIError.usage(
                    "\(storeOrigin) \(settings) is a PostgreSQL store URL; this build serves PostgreSQL stores for "
                        + StoreLocationChoice.postgresCommands + " only (give a store file path for this command)")
            }
        }
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
    func currentUser(_ store: any PostingRole, create: Bool = true) throws -> PartnerRef {
        if create { return try store.user(email: try userEmail(store), name: nil) }
        return try currentUser(reading: store)
    }

    /// The current user's partner in a store that is only read: it must be a partner already.
    func currentUser(reading store: any UserLookup) throws -> PartnerRef {
        let email = try userEmail(store)
        guard let user = try store.findUser(email: email) else {
            throw CLIError.notFound("no partner with address \(email)")
        }
        return user
    }

    /// `--as`, else `$CHATTER_AS`, else the store's default user.
    private func userEmail(_ store: any UserLookup) throws -> String {
        let env = ProcessInfo.processInfo.environment
        let email = try user ?? env["CHATTER_AS"].flatMap { $0.isEmpty ? nil : $0 } ?? store.setting("default_user")
        guard let email else {
            throw CLIError.usage("who are you? pass --as EMAIL (or set CHATTER_AS)")
        }
        return email
    }
}
