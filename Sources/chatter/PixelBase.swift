import Foundation

/// The pixel base URL `chatter trackings --json` builds `pixel_url` from:
/// `$CHATTER_BASE_URL`, else `base_url` in the config's `[smtp]`, else where
/// `chatter serve` listens by default.
enum PixelBase {
    static let url: String = {
        if let env = ProcessInfo.processInfo.environment["CHATTER_BASE_URL"], !env.isEmpty { return env }
        if let file = try? SMTPConfigFile.load(), let base = file.values["base_url"] { return base }
        return "http://127.0.0.1:8025"
    }()
}
