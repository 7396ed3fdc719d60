import Foundation

/// Finds what ships with the program under `Assets/`: `$CHATTER_ASSETS` when
/// set, else `share/chatter/Assets` next to an installed binary (`make install`),
/// else the project's `Assets/` folder this binary was built from.
enum Assets {
    static var directory: URL {
        if let dir = ProcessInfo.processInfo.environment["CHATTER_ASSETS"], !dir.isEmpty {
            return URL(fileURLWithPath: dir, isDirectory: true)
        }
        if let installed = installedDirectory, FileManager.default.fileExists(atPath: installed.path) {
            return installed
        }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Assets", isDirectory: true)
    }

    /// `BINDIR/../share/chatter/Assets` of the running binary.
    private static var installedDirectory: URL? {
        Bundle.main.executableURL?.resolvingSymlinksInPath().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("share/chatter/Assets", isDirectory: true)
    }

    /// The bytes of an asset, or a clear error naming where it was looked for.
    static func data(_ relativePath: String) throws -> Data {
        let url = directory.appendingPathComponent(relativePath)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw CLIError.notFound("missing asset \(url.path) (set CHATTER_ASSETS to the Assets folder)")
        }
    }
}
