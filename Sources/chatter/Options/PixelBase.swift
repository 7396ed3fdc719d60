import Foundation

/// The pixel base URL: `$CHATTER_BASE_URL`, else `base_url` in the config's
/// `[smtp]`, else where `chatter serve` listens by default. The sender builds the
/// pixel `<img>` from it; `chatter trackings --json` shows the URL the mail carried,
/// and builds `pixel_url` from this base only for rows sent before chatter kept it.
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
