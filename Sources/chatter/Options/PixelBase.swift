import Foundation

/// The pixel base URL: `$CHATTER_BASE_URL`, else `base_url` in the config's
/// `[smtp]`, else where `chatter serve` listens by default. `chatter trackings
/// --json` builds `pixel_url` from it, and the sender the pixel `<img>`.
enum PixelBase {
    /// The configured base URL, nil when neither the environment nor the config names one.
    static let configured: String? = {
        if let env = ProcessInfo.processInfo.environment["CHATTER_BASE_URL"], !env.isEmpty { return env }
        return (try? SMTPConfigFile.load())?.values["base_url"]
    }()

    /// Where `chatter serve` listens without `--listen`.
    static let defaultURL = "http://127.0.0.1:8025"

    static var url: String { configured ?? defaultURL }
}
