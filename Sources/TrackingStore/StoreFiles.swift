import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where chatter keeps its files and how it creates them: the store holds recipients,
/// bodies, open IPs and pixel tokens, so it is the owner's alone.
///
/// - A store chatter creates is made `0600` before SQLite opens it (SQLite gives its
///   `-wal` / `-shm` the main file's mode), in folders it creates `0700`.
/// - The default locations follow the XDG base directories: `$XDG_DATA_HOME`, else
///   `$HOME/.local/share`; `$XDG_CONFIG_HOME`, else `$HOME/.config`.
public enum StoreFiles {
    /// `$HOME` when set, else the account's home directory.
    public static func home(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let home = env["HOME"], !home.isEmpty { return home }
        return NSHomeDirectory()
    }

    /// `$XDG_DATA_HOME`, else `$HOME/.local/share`.
    public static func dataHome(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = env["XDG_DATA_HOME"], !dir.isEmpty { return dir }
        return (home(env) as NSString).appendingPathComponent(".local/share")
    }

    /// `$XDG_CONFIG_HOME`, else `$HOME/.config`.
    public static func configHome(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let dir = env["XDG_CONFIG_HOME"], !dir.isEmpty { return dir }
        return (home(env) as NSString).appendingPathComponent(".config")
    }

    /// The default store: `chatter/chatter.sqlite` under `dataHome`.
    public static func defaultStorePath(_ env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        (dataHome(env) as NSString).appendingPathComponent("chatter/chatter.sqlite")
    }

    /// Creates the folders of `path` that are missing (`0700`) and `path` itself, empty, `0600`
    /// (an empty file is an empty SQLite database). An existing file is left as it is.
    public static func createPrivate(_ path: String) throws(StoreError) {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty, !FileManager.default.fileExists(atPath: dir) {
            do {
                try FileManager.default.createDirectory(
                    atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .storage("cannot create \(dir): \(error.localizedDescription)")
            }
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd >= 0 {
            close(fd)
        } else if errno != EEXIST {
            throw .storage("cannot create \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// The permission bits of `path` when its group or other users may read it (nil otherwise).
    public static func readableByOthers(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        let mode = Int(st.st_mode) & 0o777
        return mode & 0o044 != 0 ? mode : nil
    }

    /// What SQLite is given to open `path` read-only. In a folder this user cannot write (a
    /// colleague's, a read-only mount) SQLite cannot make or use the `-shm` it needs; when
    /// there is no `-wal` or an empty one, everything is in the main file and nobody is
    /// writing it, so it is opened as immutable.
    static func readOnlyName(_ path: String) -> String {
        let dir = (path as NSString).deletingLastPathComponent
        var st = stat()
        let walEmpty = stat(path + "-wal", &st) != 0 || st.st_size == 0
        guard walEmpty, access(dir.isEmpty ? "." : dir, W_OK) != 0 else { return path }
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var escaped = ""
        for scalar in absolute.unicodeScalars {
            switch scalar {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "file:" + escaped + "?immutable=1"
    }
}
