import ChatterUI
import EventIngest
import TrackingModel

/// What the front is run with, built by the executable from its options: the
/// runtime reads no command line and no environment beyond what this names.
public struct FrontConfiguration {
    /// The current user ("me").
    public var me: PartnerRef
    /// The keymap in force (see `KeysConfig`).
    public var keymap: Keymap
    /// The keymap file's errors, shown on the status line at start.
    public var keymapErrors: [KeymapError]
    /// ASCII markers and borders only (a non-UTF-8 locale chooses them too).
    public var ascii = false
    /// No colour: glyphs with bold / underline / reverse only.
    public var mono = false
    /// Apply plausible demo events every few seconds (the demo store).
    public var liveDemo = false
    /// Compose queues its message as one shared mail instead of one per recipient.
    public var sharedMail = false
    /// The poller's config.toml (no file: the header says "poller off").
    public var pollerConfigPath: String = PollerConfig.defaultPath
    /// How the background sender sends, if at all.
    public var sender: SenderSetup = .notConfigured
    /// When the header's banner names a receiver refusing our mail (config.toml `[ui]`).
    public var banner = BannerRule()
    /// Sets the banner rule from config.toml's `[ui]` numbers (nil: the default).
    public mutating func setBanner(threshold: Int?, windowMinutes: Int?) {
        let defaults = BannerRule()
        banner = BannerRule(
            threshold: threshold ?? defaults.threshold, window: windowMinutes.map { Double($0) * 60 } ?? defaults.window)
    }
    /// The store file whose send lock the background sender must hold before it
    /// sends (a file store has one sender at a time); nil when the store keeps the
    /// claims of several senders apart itself (a PostgreSQL server).
    public var sendLockPath: String?

    /// A configuration with the defaults above.
    public init(me: PartnerRef, keymap: Keymap = .defaults, keymapErrors: [KeymapError] = []) {
        self.me = me
        self.keymap = keymap
        self.keymapErrors = keymapErrors
    }
}
